package dev.plumb.apply;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.inventory.Host;
import dev.plumb.load.HostCatalog;
import dev.plumb.load.Resource;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.modules.FileChange;
import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleSpec;
import dev.plumb.modules.Param;
import dev.plumb.modules.Params;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Mark;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Small modules that play the shapes the runner must handle, against a {@link ScriptedHost}: a
 * file, a boot setting whose running value changes only with a reboot (like the kernel command
 * line), and an installer blocked until a reboot (like the driver while nouveau is loaded).
 */
final class TestHost {
  private TestHost() {}

  /** Writes {@code content} to {@code path}. */
  static final Module FILE = new Module() {
    @Override public ModuleSpec spec() {
      return ModuleSpec.of("tfile", "test file", "path",
          Param.required("path", Param.Type.STRING, ""), Param.optional("content", Param.Type.STRING, "", ""));
    }
    @Override public List<Fact> facts(Params p) { return List.of(Fact.file(p.string("path"))); }
    @Override public Set<String> writes(Params p) { return Set.of(p.string("path")); }
    @Override public Change diff(Params p, FactSet facts) {
      return FileChange.write(p.string("path"), facts.get(Fact.file(p.string("path"))), p.string("content"), null);
    }
  };

  static final String BOOT_CONF = "/etc/boot.conf";
  static final String RUNNING = "cat /proc/cmdline";

  /**
   * The next boot's setting is a file; the running one is what {@code cat /proc/cmdline} says. The
   * file change takes effect after a reboot; a running value that differs is "reboot pending".
   */
  static final Module BOOT = new Module() {
    @Override public ModuleSpec spec() {
      return ModuleSpec.of("tboot", "test boot setting", "value",
          Param.required("value", Param.Type.STRING, ""));
    }
    @Override public List<Fact> facts(Params p) { return List.of(Fact.file(BOOT_CONF), Fact.command(RUNNING)); }
    @Override public Set<String> writes(Params p) { return Set.of(BOOT_CONF); }
    @Override public Change diff(Params p, FactSet facts) {
      String want = p.string("value") + "\n";
      Change c = FileChange.write(BOOT_CONF, facts.get(Fact.file(BOOT_CONF)), want, null);
      String running = facts.command(RUNNING).text();
      if (c.changes()) {
        c = c.withTakesEffect(TakesEffect.AFTER_REBOOT);
      }
      return running.equals(want) ? c : c.withRebootPending(true).withNote("reboot pending: running " + running.strip());
    }
  };

  static final String LOADED = "cat /sys/module/nouveau/initstate";
  static final String DRIVER = "/opt/driver";

  /** Installs a driver with a command; blocked while the old driver is loaded. */
  static final Module INSTALLER = new Module() {
    @Override public ModuleSpec spec() {
      return ModuleSpec.of("tdriver", "test installer", "version",
          Param.required("version", Param.Type.STRING, ""));
    }
    @Override public List<Fact> facts(Params p) { return List.of(Fact.file(DRIVER), Fact.command(LOADED)); }
    @Override public Change diff(Params p, FactSet facts) {
      if (facts.text(DRIVER).filter(p.string("version")::equals).isPresent()) {
        return Change.none(p.string("version"));
      }
      Change c = Change.of(Action.RUN, "absent", p.string("version"), List.of(Command.of("install-driver", p.string("version"))));
      return facts.command(LOADED).ok() ? c.withBlocker("nouveau is loaded; it is unloaded by a reboot") : c;
    }
  };

  /** A command that always runs (opaque). */
  static final Module RUN = new Module() {
    @Override public ModuleSpec spec() {
      return ModuleSpec.of("trun", "test command", "cmd",
          Param.required("cmd", Param.Type.STRING, ""));
    }
    @Override public List<Fact> facts(Params p) { return List.of(); }
    @Override public Change diff(Params p, FactSet facts) {
      return Change.of(Action.RUN, "unknown", "ran", List.of(Command.shell(p.string("cmd")))).withLabel(dev.plumb.modules.Label.OPAQUE);
    }
  };

  /** A service restart: a handler's shape (always a change when planned). */
  static final Module RESTART = new Module() {
    @Override public ModuleSpec spec() {
      return ModuleSpec.of("trestart", "test restart", "unit",
          Param.required("unit", Param.Type.STRING, ""));
    }
    @Override public List<Fact> facts(Params p) { return List.of(); }
    @Override public Change diff(Params p, FactSet facts) {
      return Change.of(Action.RESTART, "active", "restarted", List.of(Command.shell("restart " + p.string("unit"))));
    }
  };

  /** {@code r}, notifying the handlers {@code handlerIds}. */
  static Resource notifying(Resource r, String... handlerIds) {
    return new Resource(r.id(), r.name(), r.module(), r.params(), r.requires(), List.of(handlerIds), r.tags(), r.handler(),
        r.mark(), r.order());
  }

  /** A handler restarting {@code unit}: {@code trestart[unit]}. */
  static Resource handler(int order, String unit) {
    Resource r = resource(order, RESTART, Map.of("unit", unit));
    return new Resource(r.id(), r.name(), r.module(), r.params(), r.requires(), r.notifies(), r.tags(), true,
        r.mark(), r.order());
  }

  static Resource resource(int order, Module module, Map<String, Object> params, String... requires) {
    Params p = Params.of(new LinkedHashMap<>(params), module.params());
    String key = String.valueOf(params.get(module.keyParam()));
    return new Resource(module.type() + "[" + key + "]", key, module, p, List.of(requires), List.of(), Set.of(), false,
        new Mark("play.yml", order + 1, 5), order);
  }

  static HostCatalog catalog(Resource... resources) {
    return new HostCatalog(new Host("h1", List.of("all"), Map.of()), List.of(resources));
  }

  static FactResult.Output output(int exit, String out) {
    return FactResult.output(exit, out);
  }
}

package dev.plumb.plan;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.inventory.Host;
import dev.plumb.load.HostCatalog;
import dev.plumb.load.Resource;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
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

/** Small test modules and resource builders for planner tests (no loader needed). */
final class TestResources {
  private TestResources() {}

  /** Writes {@code content} to {@code path}; reads the same file. */
  static final Module FILE = new Module() {
    @Override public ModuleSpec spec() {
      return ModuleSpec.of("tfile", "test file", "path",
          Param.required("path", Param.Type.STRING, ""), Param.optional("content", Param.Type.STRING, "", ""),
          Param.optional("reboot", Param.Type.BOOL, "false", ""));
    }
    @Override public List<Fact> facts(Params p) { return List.of(Fact.file(p.string("path"))); }
    @Override public Set<String> writes(Params p) { return Set.of(p.string("path")); }
    @Override public Change diff(Params p, FactSet facts) {
      String path = p.string("path");
      var current = facts.file(path);
      String want = p.string("content");
      if (current.isPresent() && current.get().text().equals(want)) {
        return Change.none("as declared");
      }
      Change c = Change.of(current.isPresent() ? Action.UPDATE : Action.CREATE, "old", "new",
          List.of(Command.writeFile(path, want, current.map(FactResult.Content::sha256).orElse(null), null)))
          .withWrite(path, FactResult.content(want));
      return p.bool("reboot") ? c.withTakesEffect(TakesEffect.AFTER_REBOOT) : c;
    }
  };

  /** Appends a line to a file it reads (so it sees what an earlier step wrote). */
  static final Module APPEND = new Module() {
    @Override public ModuleSpec spec() {
      return ModuleSpec.of("tappend", "test append", "line",
          Param.required("path", Param.Type.STRING, ""), Param.required("line", Param.Type.STRING, ""));
    }
    @Override public List<Fact> facts(Params p) { return List.of(Fact.file(p.string("path"))); }
    @Override public Set<String> writes(Params p) { return Set.of(p.string("path")); }
    @Override public Change diff(Params p, FactSet facts) {
      String path = p.string("path");
      String text = facts.text(path).orElse("");
      String line = p.string("line");
      if (text.lines().anyMatch(line::equals)) {
        return Change.none("present");
      }
      String next = text + line + "\n";
      return Change.of(Action.UPDATE, "absent", "present",
          List.of(Command.writeFile(path, next, facts.file(path).map(FactResult.Content::sha256).orElse(null), null)))
          .withWrite(path, FactResult.content(next));
    }
  };

  /** {@link #APPEND}, then regenerates what is built from the file (update-grub after /etc/default/grub). */
  static final Module APPEND_THEN_REBUILD = new Module() {
    @Override public ModuleSpec spec() {
      return ModuleSpec.of("tgrub", "test append, then rebuild", "line",
          Param.required("path", Param.Type.STRING, ""), Param.required("line", Param.Type.STRING, ""));
    }
    @Override public List<Fact> facts(Params p) { return APPEND.facts(p); }
    @Override public Set<String> writes(Params p) { return APPEND.writes(p); }
    @Override public Change diff(Params p, FactSet facts) {
      Change append = APPEND.diff(p, facts);
      if (!append.changes()) {
        return append;
      }
      List<Command> commands = new java.util.ArrayList<>(append.commands());
      commands.add(Command.rebuild("update-grub"));
      return append.withCommands(commands);
    }
  };

  /** Reads a file and writes nothing: its state says whether the file has the line. */
  static final Module READ = new Module() {
    @Override public ModuleSpec spec() {
      return ModuleSpec.of("tread", "test read", "line",
          Param.required("path", Param.Type.STRING, ""), Param.required("line", Param.Type.STRING, ""));
    }
    @Override public List<Fact> facts(Params p) { return List.of(Fact.file(p.string("path"))); }
    @Override public Change diff(Params p, FactSet facts) {
      boolean has = facts.text(p.string("path")).orElse("").lines().anyMatch(p.string("line")::equals);
      return Change.none(has ? "has the line" : "lacks the line");
    }
  };

  /** A handler: always restarts when it runs. */
  static final Module RESTART = new Module() {
    @Override public ModuleSpec spec() {
      return ModuleSpec.of("trestart", "test restart", "unit",
          Param.required("unit", Param.Type.STRING, ""));
    }
    @Override public List<Fact> facts(Params p) { return List.of(); }
    @Override public Change diff(Params p, FactSet facts) {
      return Change.of(Action.RESTART, "running", "restarted", List.of(Command.of("systemctl", "restart", p.string("unit"))));
    }
  };

  static Resource resource(int order, Module module, Map<String, Object> params, List<String> requires, List<String> notifies, boolean handler) {
    Params p = Params.of(new LinkedHashMap<>(params), module.params());
    String key = String.valueOf(params.get(module.keyParam()));
    return new Resource(module.type() + "[" + key + "]", key, module, p, requires, notifies, Set.of(), handler,
        new Mark("play.yml", order + 1, 5), order);
  }

  static HostCatalog host(Resource... resources) {
    return new HostCatalog(new Host("h1", List.of("all"), Map.of()), List.of(resources));
  }
}

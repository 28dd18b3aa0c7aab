package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.modules.FileChange;
import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleSpec;
import dev.plumb.modules.Param;
import dev.plumb.modules.Params;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kernel_module}: a kernel module loaded (or not) now, and at boot through
 * /etc/modules-load.d/NAME.conf, with its options in /etc/modprobe.d/NAME-options.conf.
 */
public final class KernelModule implements Module {
  private static final ModuleSpec SPEC = ModuleSpec.of("kernel_module",
      "A kernel module loaded now and at boot (modules-load.d), with its options (modprobe.d)", "name",
      Param.required("name", Param.Type.STRING, "the module, e.g. vfio_pci or nvidia-uvm ('-' and '_' are the same)"),
      Param.oneOf("state", "loaded", "loaded or absent", "loaded", "absent"),
      Param.optional("boot", Param.Type.BOOL, "true", "load it at boot too (/etc/modules-load.d/<name>.conf); false removes that file"),
      Param.optional("options", Param.Type.STRING, null, "module options, written as 'options <name> …' in /etc/modprobe.d/<name>-options.conf"));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  static String loadFile(String name) {
    return "/etc/modules-load.d/" + name + ".conf";
  }

  static String optionsFile(String name) {
    return "/etc/modprobe.d/" + name + "-options.conf";
  }

  @Override
  public void validate(Params params, Problems problems) {
    if (!params.string("name").matches(ModuleBlacklist.NAME)) {
      problems.error(params.mark("name"), "'" + params.string("name") + "' is not a kernel module name",
          "use letters, digits, '_' and '-' only, starting with a letter, digit or '_'");
    }
    // state outside loaded|absent: the loader reports it (the Param declares the set).
    if (params.optional("options").filter(o -> o.contains("\n")).isPresent()) {
      problems.error(params.mark("options"), "options must be one line", null);
    }
  }

  @Override
  public List<Fact> facts(Params params) {
    String name = params.string("name");
    return List.of(GpuFacts.LOADED_MODULES, NextKernel.FACT.fact(), Fact.file(loadFile(name)), Fact.file(optionsFile(name)));
  }

  @Override
  public Set<String> writes(Params params) {
    String name = params.string("name");
    return Set.of(loadFile(name), optionsFile(name));
  }

  /** The options file only when options are declared: without them it is left alone. */
  @Override
  public Set<String> owns(Params params) {
    String name = params.string("name");
    return params.has("options") ? Set.of(loadFile(name), optionsFile(name)) : Set.of(loadFile(name));
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    String name = params.string("name");
    boolean wantLoaded = params.string("state").equals("loaded");
    // A built-in module never appears in /proc/modules and cannot be loaded or removed: it is loaded.
    boolean builtin = GpuFacts.builtin(facts).running().contains(GpuFacts.moduleName(name));
    boolean loaded = builtin || GpuFacts.loadedModules(facts).contains(GpuFacts.moduleName(name));
    if (builtin && !wantLoaded) {
      return Change.of(Action.DELETE, "built into the kernel", "absent", List.of())
          .withBlocker(name + " is built into the running kernel (/lib/modules/$(uname -r)/modules.builtin): it cannot be "
              + "unloaded; keep it from binding a device with the device's driver_override or modprobe.blacklist instead");
    }
    List<Change> parts = new ArrayList<>();
    String bootContent = wantLoaded && params.bool("boot") ? GpuModules.MANAGED_HEADER + " (kernel_module)\n" + name + "\n" : null;
    FileChange.converge(facts, loadFile(name), bootContent).ifPresent(parts::add);
    Optional<String> options = params.optional("options").map(String::strip);
    if (options.isPresent() && wantLoaded) {
      String content = GpuModules.MANAGED_HEADER + " (kernel_module)\noptions " + name + " " + options.get() + "\n";
      FileChange.converge(facts, optionsFile(name), content).ifPresent(c -> parts.add(loaded
          ? c.withNote("the new options apply when " + name + " is next loaded (reload it or reboot)")
          : c));
    }
    Change result = null;
    Action action = Action.UPDATE;
    List<Command> now = new ArrayList<>();
    if (wantLoaded && !loaded) {
      now.add(Command.of("modprobe", "--", name));
      action = Action.CREATE;
    } else if (!wantLoaded && loaded) {
      now.add(Command.of("modprobe", "-r", "--", name));
      action = Action.DELETE;
    }
    String before = loaded ? "loaded" : "not loaded";
    String after = wantLoaded ? "loaded" + (params.bool("boot") ? ", at boot" : "") : "absent";
    if (parts.isEmpty() && now.isEmpty()) {
      return Change.none(after);
    }
    result = Change.of(action, before, after, List.of());
    for (Change p : parts) {
      result = result.plus(p);
    }
    List<Command> cmds = new ArrayList<>(result.commands());
    cmds.addAll(now);
    return result.withCommands(cmds).withTakesEffect(TakesEffect.NOW);
  }
}

package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.FileChange;
import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleSpec;
import dev.plumb.modules.Param;
import dev.plumb.modules.Params;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Problems;
import dev.plumb.source.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code module_blacklist}: a modprobe.d file plumb owns whole, that stops kernel modules from
 * loading at boot. It takes effect after the initramfs is rebuilt and the host rebooted: playbooks
 * add {@code notify: initramfs[...]} (a module cannot notify by itself).
 */
public final class ModuleBlacklist implements Module {
  static final String DEFAULT_FILE = "/etc/modprobe.d/plumb-blacklist.conf";
  // No leading "-": a module named "-r" made "modprobe -r" of the next word.
  static final String NAME = "[A-Za-z0-9_][A-Za-z0-9_-]*";

  private static final ModuleSpec SPEC = ModuleSpec.of("module_blacklist",
      "Kernel modules blacklisted in a modprobe.d file plumb owns (notify initramfs to rebuild)", "modules",
      Param.required("modules", Param.Type.STRINGS, "kernel modules to blacklist, e.g. [nouveau]"),
      Param.optional("install_false", Param.Type.BOOL, "false",
          "also write 'install <module> /bin/false' so that explicit loads fail too (blacklist only stops alias-based autoloading)"),
      Param.optional("file", Param.Type.STRING, DEFAULT_FILE, "the modprobe.d file plumb writes (whole content)"),
      Param.optional("options", Param.Type.MAP, null, "module -> options string, e.g. {nouveau: modeset=0}"));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public void validate(Params params, Problems problems) {
    for (KernelCmdline.TokenAt m : KernelCmdline.tokens(params, "modules")) {
      if (!m.text().matches(NAME)) {
        problems.error(m.mark(), "'" + m.text() + "' is not a kernel module name", "use letters, digits, '_' and '-' only");
      } else if (GpuFacts.moduleName(m.text()).equals("snd_hda_intel")) {
        problems.warning(m.mark(), "blacklisting snd_hda_intel disables the host's onboard audio too; "
            + "bind the GPU's audio function to vfio-pci instead (pci_passthrough)", "remove snd_hda_intel from modules");
      }
    }
    params.map("options").ifPresent(map -> map.entries().forEach((k, v) -> {
      if (!k.matches(NAME)) {
        problems.error(map.keyMark(k), "'" + k + "' is not a kernel module name", "use letters, digits, '_' and '-' only");
      }
      if (!(v instanceof Value.Scalar s) || s.text().contains("\n")) {
        problems.error(v.mark(), "options of " + k + " must be one line of text, e.g. modeset=0", null);
      }
    }));
    if (!params.string("file").startsWith("/etc/modprobe.d/") || !params.string("file").endsWith(".conf")) {
      problems.error(params.mark("file"), "file must be /etc/modprobe.d/<name>.conf (modprobe ignores other names)",
          "file: " + DEFAULT_FILE);
    }
  }

  @Override
  public List<Fact> facts(Params params) {
    return List.of(Fact.file(params.string("file")), GpuFacts.LOADED_MODULES);
  }

  @Override
  public Set<String> writes(Params params) {
    return Set.of(params.string("file"));
  }

  @Override
  public Set<String> owns(Params params) {
    return writes(params);
  }

  /** The whole file: modules in sorted order, each with blacklist, install and options lines. */
  static String render(List<String> modules, boolean installFalse, Map<String, String> options) {
    Set<String> names = new TreeSet<>(modules);
    names.addAll(options.keySet());
    StringBuilder s = new StringBuilder(GpuModules.MANAGED_HEADER + " (module_blacklist); edits here are overwritten\n");
    for (String m : names) {
      if (modules.contains(m)) {
        s.append("blacklist ").append(m).append('\n');
        if (installFalse) {
          s.append("install ").append(m).append(" /bin/false\n");
        }
      }
      if (options.containsKey(m)) {
        s.append("options ").append(m).append(' ').append(options.get(m).strip()).append('\n');
      }
    }
    return s.toString();
  }

  static Map<String, String> options(Params params) {
    Map<String, String> out = new TreeMap<>();
    params.map("options").ifPresent(map -> map.entries().forEach((k, v) -> {
      if (v instanceof Value.Scalar s) {
        out.put(k, s.text());
      }
    }));
    return out;
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    List<String> modules = params.strings("modules").stream().map(String::strip).toList();
    String path = params.string("file");
    String want = render(modules, params.bool("install_false"), options(params));
    Set<String> loaded = GpuFacts.loadedModules(facts);
    List<String> stillLoaded = new ArrayList<>();
    for (String m : new TreeSet<>(modules)) {
      if (loaded.contains(GpuFacts.moduleName(m))) {
        stillLoaded.add(m);
      }
    }
    Optional<Change> write = FileChange.converge(facts, path, want);
    // Before and after name the file (FileChange's own describe its size).
    Change change = write
        .map(c -> Change.of(c.action(), c.action() == Action.CREATE ? "absent" : path, path, List.of()).plus(c))
        .map(c -> c.withTakesEffect(TakesEffect.AFTER_REBOOT))
        .orElse(Change.none("blacklisted: " + String.join(" ", new TreeSet<>(modules))));
    if (!stillLoaded.isEmpty()) {
      change = change.withNote("reboot pending: " + String.join(", ", stillLoaded) + " still loaded until reboot")
          .withRebootPending(true);
    }
    return change;
  }
}

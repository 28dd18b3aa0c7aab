package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactDef;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.text.TextLines;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Facts shared by the GPU modules. Equal facts are read once per host, so every module asks for
 * the same snippet (not a variant of it) and parses it with the same pure parser here.
 */
final class GpuFacts {
  private GpuFacts() {}

  /**
   * Loaded kernel modules, one name per line: /proc/modules, or /sys/module/NAME/initstate. Inline
   * (no subshell); cut stays: dash's read takes a system call per byte, and a host's /proc/modules
   * of 100 modules (6 KB) read by a read loop cost 4.7 ms of CPU against the cut's 1.2 (the loop
   * wins below about 30 modules, as in the lab's 9).
   */
  static final FactDef<Set<String>> LOADED = FactDef.inlineCommand(
      "if [ -r /proc/modules ]; then cut -d' ' -f1 /proc/modules; "
          + "else for f in /sys/module/*/initstate; do [ -e \"$f\" ] || continue; "
          + "d=${f%/initstate}; echo \"${d##*/}\"; done; fi", out -> parseLoadedModules(out.text()));

  static final Fact.Command LOADED_MODULES = (Fact.Command) LOADED.fact();

  /**
   * Sets {@code r} to the running kernel's release, as {@code uname -r} prints it, from
   * /proc/sys/kernel/osrelease by the shell's own {@code read} (no process; uname where /proc
   * cannot be read).
   */
  static final String RELEASE = "r=; read -r r </proc/sys/kernel/osrelease 2>/dev/null || r=$(uname -r)";

  /**
   * Modules built into the kernel (never in /proc/modules, never loadable or unloadable), of the
   * running kernel and of the one the next boot starts ('_' form). Ubuntu 20.04 and later build
   * vfio-pci in: its modprobe.d options are never read there.
   */
  record Builtin(Set<String> running, Set<String> next) {
    static final String VFIO_PCI = "vfio_pci";
  }

  /** Read from {@link NextKernel#FACT}, declare that fact. */
  static Builtin builtin(FactSet facts) {
    NextKernel kernels = NextKernel.of(facts);
    return new Builtin(kernels.builtinOf(kernels.running()), kernels.builtinOf(kernels.next()));
  }

  /** Loaded now: listed as loaded, or built into the running kernel. */
  static boolean loadedOrBuiltin(FactSet facts, String module) {
    String name = moduleName(module);
    return loadedModules(facts).contains(name) || builtin(facts).running().contains(name);
  }

  /** Added to PATH in snippets: a non-root login's PATH often lacks them (update-grub, modinfo live there). */
  static final String SBIN = "/usr/local/sbin:/usr/sbin:/sbin";

  static final List<String> TOOL_NAMES = List.of("update-grub", "grub2-mkconfig", "grub-mkconfig", "grubby",
      "update-initramfs", "dracut", "modprobe", "nvidia-smi", "dkms", "openstack", "virsh", "virt-xml", "nvcc",
      "cc", "gcc");

  /**
   * Which of {@link #TOOL_NAMES} exist on PATH, one per line; {@code efi} when booted by UEFI.
   * Inline, builtins only: the SBIN directories are added for each {@code command -v} alone, since
   * PATH changed in the kept shell would grow at every cycle.
   */
  static final FactDef<Set<String>> TOOLS_DEF = FactDef.inlineCommand(
      "for t in " + String.join(" ", TOOL_NAMES) + "; do PATH=$PATH:" + SBIN + " command -v \"$t\" >/dev/null 2>&1 && echo \"$t\"; done; "
          + "[ -d /sys/firmware/efi ] && echo efi; true", out -> parseTools(out.text()));

  static final Fact.Command TOOLS = (Fact.Command) TOOLS_DEF.fact();

  /** Module names with '-' read as '_' (the kernel's own equivalence). */
  static String moduleName(String name) {
    return name.strip().replace('-', '_');
  }

  static Set<String> parseLoadedModules(String output) {
    Set<String> out = new LinkedHashSet<>();
    for (String line : output.split("\n")) {
      if (!line.isBlank()) {
        out.add(moduleName(line));
      }
    }
    return out;
  }

  static Set<String> loadedModules(FactSet facts) {
    return facts.get(LOADED);
  }

  static Set<String> parseTools(String output) {
    Set<String> out = new LinkedHashSet<>();
    for (String line : output.split("\n")) {
      if (!line.isBlank()) {
        out.add(line.strip());
      }
    }
    return out;
  }

  static Set<String> tools(FactSet facts) {
    return facts.get(TOOLS_DEF);
  }

  /**
   * Every file matching {@code glob}, path to content, framed by the fact script (a file holding a
   * line like a header cannot be misread), and with what earlier steps write there.
   */
  static FactDef<Map<String, String>> listing(String glob) {
    return FactDef.files(glob, files -> files);
  }

  /** The text of a file fact, or null when missing or unreadable. */
  static String text(FactSet facts, String path) {
    return facts.text(path).orElse(null);
  }

  /** The sha256 of a file fact's content, or null when it is missing. */
  static String sha(FactSet facts, String path) {
    return facts.file(path).map(FactResult.Content::sha256).orElse(null);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}

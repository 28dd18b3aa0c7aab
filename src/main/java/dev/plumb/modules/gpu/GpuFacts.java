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

  /** Loaded kernel modules, one name per line: /proc/modules, or /sys/module/NAME/initstate. */
  static final FactDef<Set<String>> LOADED = FactDef.command(
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
   * Modules built into the kernel (never in /proc/modules, never loadable or unloadable): each
   * line of /lib/modules/VER/modules.builtin, for the running kernel ({@code running NAME}) and
   * for the kernel the next boot starts, the first linux line of grub.cfg ({@code next NAME}).
   * Ubuntu 20.04 and later build vfio-pci in: its modprobe.d options are never read there.
   */
  static final FactDef<Builtin> BUILTIN = FactDef.command(
      RELEASE + "; n=$(cat /boot/grub/grub.cfg /boot/grub2/grub.cfg 2>/dev/null | "
          + "awk '$1 ~ /^linux(16|efi)?$/ { sub(/^.*vmlinuz-/, \"\", $2); print $2; exit }'); "
          + "[ -n \"$n\" ] || n=$r; "
          // The usual case, the next boot's kernel is the running one: one sed prints the running
          // lines and keeps the next ones for the end (the same output as the two below).
          + "if [ \"$n\" = \"$r\" ]; then "
          + "sed -n 's#^.*/##; s#\\.ko.*$##; s#^#running #p; s#^running #next #; H; ${x; s#^\\n##; p;}' \"/lib/modules/$r/modules.builtin\" 2>/dev/null; "
          + "else "
          + "sed -n 's#^.*/##; s#\\.ko.*$##; s#^#running #p' \"/lib/modules/$r/modules.builtin\" 2>/dev/null; "
          + "sed -n 's#^.*/##; s#\\.ko.*$##; s#^#next #p' \"/lib/modules/$n/modules.builtin\" 2>/dev/null; fi; true",
      out -> parseBuiltin(out.text()));

  /** Built-in module names ('_' form) of the running kernel and of the next boot's. */
  record Builtin(Set<String> running, Set<String> next) {
    static final String VFIO_PCI = "vfio_pci";
  }

  static Builtin parseBuiltin(String output) {
    Set<String> running = new LinkedHashSet<>();
    Set<String> next = new LinkedHashSet<>();
    for (String line : output.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length == 2 && f[0].equals("running")) {
        running.add(moduleName(f[1]));
      } else if (f.length == 2 && f[0].equals("next")) {
        next.add(moduleName(f[1]));
      }
    }
    return new Builtin(Set.copyOf(running), Set.copyOf(next));
  }

  static Builtin builtin(FactSet facts) {
    return facts.get(BUILTIN);
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

  /** Which of {@link #TOOL_NAMES} exist on PATH, one per line; {@code efi} when booted by UEFI. */
  static final FactDef<Set<String>> TOOLS_DEF = FactDef.command(
      "PATH=$PATH:" + SBIN + "; for t in " + String.join(" ", TOOL_NAMES) + "; do command -v \"$t\" >/dev/null 2>&1 && echo \"$t\"; done; "
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

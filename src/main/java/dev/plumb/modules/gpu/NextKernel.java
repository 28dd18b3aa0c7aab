package dev.plumb.modules.gpu;

import dev.plumb.facts.FactDef;
import dev.plumb.facts.FactSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel the host boots next and the running one, with what plumb needs to know of each: its
 * headers (the NVIDIA driver builds against them) and its built-in modules (never in
 * /proc/modules; vfio-pci is built in on Ubuntu 20.04 and later). After a kernel update the two
 * differ: an initramfs rebuilt for the running kernel ({@code dracut -f}, {@code update-initramfs
 * -u}) or a driver built for it (NVIDIA's installer builds for {@code uname -r}) is not what the
 * next boot loads. The one reader of "the kernel that boots next", used by initramfs, nvidia_driver,
 * kernel_module, pci_passthrough and assert.
 *
 * <p>The next kernel is the boot loader's default entry: {@code grubby --info=DEFAULT}'s kernel on
 * BLS hosts (EL 8/9), else the first {@code linux} line of the generated config the boot loader
 * reads ({@link GrubConfig#bootConfig}, the rule kernel_cmdline uses), else the running one.
 *
 * @param next the release the next boot starts (the running one when the boot loader does not say)
 * @param running {@code uname -r} (read from /proc/sys/kernel/osrelease: {@link GpuFacts#RELEASE})
 * @param fromBootLoader whether {@code next} was read from the boot loader
 * @param headers releases among these two whose /lib/modules/K/build exists
 * @param builtin release to its built-in module names ('_' form), for these two
 */
record NextKernel(String next, String running, boolean fromBootLoader, Set<String> headers, Map<String, Set<String>> builtin) {

  /**
   * Prints {@code running R}, {@code tool T} and {@code efi}, {@code grubby IMAGE} (or {@code
   * grubby-failed}), {@code cfg PATH IMAGE} for each readable generated config (IMAGE empty without
   * a linux line), then for each kernel named (running, grubby's, each config's): {@code kernel K},
   * {@code headers K}, {@code builtin K NAME}. The shell only reads; {@link #parse} decides.
   */
  static final FactDef<NextKernel> FACT = FactDef.command(
      "PATH=$PATH:" + GpuFacts.SBIN + "; " + GpuFacts.RELEASE + "; echo \"running $r\"; ks=$r; "
          + "for t in update-grub grub2-mkconfig grubby; do command -v \"$t\" >/dev/null 2>&1 && echo \"tool $t\"; done; "
          + "[ -d /sys/firmware/efi ] && echo efi; "
          + "if command -v grubby >/dev/null 2>&1; then "
          + "if i=$(grubby --info=DEFAULT 2>/dev/null); then "
          + "k=$(printf '%s\\n' \"$i\" | sed -n 's/^kernel=\"\\{0,1\\}\\([^\"]*\\)\"\\{0,1\\}$/\\1/p' | head -n 1); "
          + "echo \"grubby $k\"; ks=\"$ks ${k##*vmlinuz-}\"; else echo grubby-failed; fi; fi; "
          + "for c in /boot/efi/EFI/*/grub.cfg /boot/grub2/grub.cfg /boot/grub/grub.cfg; do [ -r \"$c\" ] || continue; "
          + "i=$(awk '$1 ~ /^linux(16|efi)?$/ { print $2; exit }' \"$c\"); echo \"cfg $c $i\"; ks=\"$ks ${i##*vmlinuz-}\"; done; "
          + "for k in $(printf '%s\\n' $ks | sort -u); do d=/lib/modules/$k; [ -d \"$d\" ] || continue; echo \"kernel $k\"; "
          + "[ -d \"$d/build\" ] && echo \"headers $k\"; "
          + "sed -n \"s#^.*/##; s#\\.ko.*\\$##; s#^#builtin $k #p\" \"$d/modules.builtin\" 2>/dev/null; done; true",
      out -> parse(out.text()));

  static NextKernel of(FactSet facts) {
    return facts.get(FACT);
  }

  static NextKernel parse(String output) {
    String running = "";
    Set<String> tools = new LinkedHashSet<>();
    Optional<String> grubby = Optional.empty();
    Map<String, String> images = new LinkedHashMap<>();
    Set<String> headers = new LinkedHashSet<>();
    Map<String, Set<String>> builtin = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      String[] f = line.strip().split("\\s+", 3);
      switch (f[0]) {
        case "running" -> running = f.length > 1 ? f[1] : "";
        case "tool" -> tools.add(f.length > 1 ? f[1] : "");
        case "efi" -> tools.add("efi");
        case "grubby" -> grubby = Optional.of(f.length > 1 ? f[1] : "");
        case "cfg" -> {
          if (f.length > 1) {
            images.put(f[1], f.length > 2 ? f[2] : "");
          }
        }
        case "kernel" -> {
          if (f.length > 1) {
            builtin.putIfAbsent(f[1], new LinkedHashSet<>());
          }
        }
        case "headers" -> {
          if (f.length > 1) {
            headers.add(f[1]);
          }
        }
        case "builtin" -> {
          if (f.length > 2) {
            builtin.computeIfAbsent(f[1], k -> new LinkedHashSet<>()).add(GpuFacts.moduleName(f[2]));
          }
        }
        default -> { }
      }
    }
    Optional<String> image;
    if (tools.contains("grubby") && grubby.isPresent()) {
      image = grubby;
    } else {
      Map<String, Boolean> hasLinuxLine = new LinkedHashMap<>();
      images.forEach((path, img) -> hasLinuxLine.put(path, !img.isEmpty()));
      image = GrubConfig.bootConfig(tools, hasLinuxLine).map(images::get);
    }
    Optional<String> next = image.map(NextKernel::release).filter(r -> !r.isEmpty());
    Map<String, Set<String>> frozen = new LinkedHashMap<>();
    builtin.forEach((k, v) -> frozen.put(k, Set.copyOf(v)));
    return new NextKernel(next.orElse(running), running, next.isPresent(), Set.copyOf(headers), Map.copyOf(frozen));
  }

  /** {@code /boot/vmlinuz-5.14.0-427.el9.x86_64} or {@code (hd0,gpt2)/vmlinuz-…} → the release. */
  static String release(String image) {
    String name = image.substring(image.lastIndexOf('/') + 1);
    return name.startsWith("vmlinuz-") ? name.substring("vmlinuz-".length()) : "";
  }

  boolean pending() {
    return !next.isEmpty() && !next.equals(running);
  }

  boolean hasHeaders(String release) {
    return headers.contains(release);
  }

  /** Modules built into a kernel (empty when it is not one of these two, or lists none). */
  Set<String> builtinOf(String release) {
    return builtin.getOrDefault(release, Set.of());
  }
}

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
   * The awk of {@link #FACT} (POSIX awk: mawk, gawk; BEGIN only, so its operands are never read as
   * files). Operands: the running release; {@code -} without grubby's answer, else {@code +} and
   * what {@code grubby --info=DEFAULT} printed; {@code /hK} or {@code /kK} for each directory
   * /lib/modules/K, with or without build/; the configs (a pattern left unexpanded fails to open,
   * as an unreadable config does: no line). The releases are gathered as the shell did ({@code
   * ${x##*vmlinuz-}}, split on blanks), then kept as strings: compared with a number ({@code
   * 5.10} and {@code 5.1}, {@code 1.0} and {@code 1.00}) they would sort and merge as numbers, not
   * as {@code sort -u} does; matched with index(), never as a regex ('.', '+'). Sorted by
   * insertion: a host names two or three.
   */
  private static final String KERNELS = String.join(" ",
      // ${s##*vmlinuz-}: after the last "vmlinuz-" (it cannot overlap itself)
      "function rel(s, i) { while ((i = index(s, \"vmlinuz-\")) > 0) s = substr(s, i + 8); return s }",
      "function add(s, w, n, j) { n = split(s, w); for (j = 1; j <= n; j++) ks[++nk] = \"\" w[j] }",
      "BEGIN { add(ARGV[1]);",
      // sed -n 's/^kernel="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' | head -n 1
      "if (substr(ARGV[2], 1, 1) == \"+\") { k = \"\"; n = split(substr(ARGV[2], 2), l, \"\\n\");",
      "for (j = 1; j <= n; j++) if (l[j] ~ /^kernel=\"?[^\"]*\"?$/) { k = substr(l[j], 8); sub(/^\"/, \"\", k); sub(/\"$/, \"\", k); break }",
      "print \"grubby \" k; add(rel(k)) }",
      "n = split(ARGV[3], e, \"/\"); for (j = 2; j <= n; j++) { k = substr(e[j], 2); dir[k] = 1; if (substr(e[j], 1, 1) == \"h\") hdr[k] = 1 }",
      // each readable config's first linux line: getline is -1 when it cannot be opened
      "for (a = 4; a < ARGC; a++) { c = ARGV[a]; i = \"\"; if ((r = (getline < c)) < 0) continue;",
      "for (; r > 0; r = (getline < c)) if ($1 ~ /^linux(16|efi)?$/) { i = $2; break }",
      "close(c); print \"cfg \" c \" \" i; add(rel(i)) }",
      // sort -u, C locale: byte order
      "n = 0; for (j = 1; j <= nk; j++) { k = ks[j]; if (k in seen) continue; seen[k] = 1;",
      "for (a = ++n; a > 1 && u[a - 1] > k; a--) u[a] = u[a - 1]; u[a] = k }",
      // sed -n 's#^.*/##; s#\.ko.*$##; s#^#builtin K #p' /lib/modules/K/modules.builtin
      "for (j = 1; j <= n; j++) { k = u[j]; if (!(k in dir)) continue; print \"kernel \" k; if (k in hdr) print \"headers \" k;",
      "f = \"/lib/modules/\" k \"/modules.builtin\"; while ((getline b < f) > 0) { while ((i = index(b, \"/\")) > 0) b = substr(b, i + 1);",
      "i = index(b, \".ko\"); if (i) b = substr(b, 1, i - 1); print \"builtin \" k \" \" b } close(f) } }");

  /**
   * Prints {@code running R}, {@code tool T} and {@code efi}, {@code grubby IMAGE} (or {@code
   * grubby-failed}), {@code cfg PATH IMAGE} for each readable generated config (IMAGE empty without
   * a linux line), then for each kernel named (running, grubby's, each config's) whose
   * /lib/modules/K exists, in byte order: {@code kernel K}, {@code headers K}, {@code builtin K
   * NAME}. The shell only reads; {@link #parse} decides.
   *
   * <p>One process on most hosts ({@link #KERNELS awk}), since {@code plumb watch} runs it on
   * every host every cycle: the shell tests the directories with builtins ({@code [ -d ]} over the
   * glob of /lib/modules; a directory's name never holds '/', and a release starting with '.' is
   * none), awk does the rest. On EL grubby keeps its own process, the only reader of its default;
   * awk parses what it printed.
   */
  static final FactDef<NextKernel> FACT = FactDef.command(
      "PATH=$PATH:" + GpuFacts.SBIN + "; " + GpuFacts.RELEASE + "; echo \"running $r\"; "
          + "for t in update-grub grub2-mkconfig grubby; do command -v \"$t\" >/dev/null 2>&1 && echo \"tool $t\"; done; "
          + "[ -d /sys/firmware/efi ] && echo efi; "
          + "g=-; if command -v grubby >/dev/null 2>&1; then "
          + "if g=$(grubby --info=DEFAULT 2>/dev/null); then g=\"+$g\"; else g=-; echo grubby-failed; fi; fi; "
          + "m=; for d in /lib/modules/*; do [ -d \"$d\" ] || continue; "
          + "if [ -d \"$d/build\" ]; then m=\"$m/h${d##*/}\"; else m=\"$m/k${d##*/}\"; fi; done; "
          + "awk '" + KERNELS + "' \"$r\" \"$g\" \"$m\" /boot/efi/EFI/*/grub.cfg /boot/grub2/grub.cfg /boot/grub/grub.cfg; true",
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

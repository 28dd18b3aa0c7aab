package dev.plumb.modules.gpu;

import dev.plumb.text.TextLines;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for what the next boot will use: a generated grub.cfg, or {@code grubby --info}. */
final class GrubConfig {
  private GrubConfig() {}

  private static final Pattern LINUX = Pattern.compile("^\\s*linux(?:16|efi)?\\s+(\\S+)(.*)$");
  private static final Pattern ARGS = Pattern.compile("^args=\"?(.*?)\"?\\s*$");

  /**
   * The arguments of the first {@code linux} line (the default entry as generated; recovery
   * entries come later and legitimately lack GRUB_CMDLINE_LINUX_DEFAULT). Empty when there is none.
   */
  static Optional<List<String>> defaultEntryArgs(String grubCfg) {
    for (String line : TextLines.split(grubCfg)) {
      Matcher m = LINUX.matcher(TextLines.strip(line));
      if (m.matches()) {
        return Optional.of(CmdlineTokens.split(m.group(2)));
      }
    }
    return Optional.empty();
  }

  /** A {@code key="…"} line of {@code grubby --info=DEFAULT} (kernel, root, initrd, …), unquoted. */
  static Optional<String> grubbyField(String info, String key) {
    for (String line : info.split("\n")) {
      String l = line.strip();
      if (l.startsWith(key + "=")) {
        String v = l.substring(key.length() + 1);
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /** The kernel image of the first {@code linux} line ({@code /vmlinuz-4.4.0-31-generic}), if any. */
  static Optional<String> defaultEntryImage(String grubCfg) {
    for (String line : TextLines.split(grubCfg)) {
      Matcher m = LINUX.matcher(TextLines.strip(line));
      if (m.matches()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  /** The {@code args="…"} of {@code grubby --info=DEFAULT}. */
  static Optional<List<String>> grubbyArgs(String info) {
    for (String line : info.split("\n")) {
      Matcher m = ARGS.matcher(line.strip());
      if (m.matches()) {
        return Optional.of(CmdlineTokens.split(m.group(1)));
      }
    }
    return Optional.empty();
  }

  /**
   * The generated config the boot loader reads next, among those present ({@code hasLinuxLine}:
   * path to whether it has a {@code linux} line; EFI ones in listing order). The one rule, shared
   * by kernel_cmdline (its arguments) and {@link NextKernel} (its kernel): on an EFI host with
   * grub2-mkconfig an EFI config with a linux line (EL 7/8 boot from it); else on a Debian host
   * (update-grub) /boot/grub/grub.cfg before /boot/grub2/grub.cfg, elsewhere the other way round.
   */
  static Optional<String> bootConfig(Set<String> tools, Map<String, Boolean> hasLinuxLine) {
    List<String> fixed = List.of(KernelCmdline.GRUB_CFG, KernelCmdline.GRUB2_CFG);
    if (tools.contains("efi") && tools.contains("grub2-mkconfig")) {
      for (Map.Entry<String, Boolean> e : hasLinuxLine.entrySet()) {
        if (!fixed.contains(e.getKey()) && e.getValue()) {
          return Optional.of(e.getKey());
        }
      }
    }
    List<String> order = tools.contains("update-grub") ? fixed : List.of(KernelCmdline.GRUB2_CFG, KernelCmdline.GRUB_CFG);
    return order.stream().filter(hasLinuxLine::containsKey).findFirst();
  }
}

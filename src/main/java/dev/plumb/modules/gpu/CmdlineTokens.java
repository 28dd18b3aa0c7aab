package dev.plumb.modules.gpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Kernel command line tokens compared as a set of {@code key[=value]}: the pure edit that
 * {@code kernel_cmdline} applies to GRUB_CMDLINE_LINUX, /proc/cmdline and grub.cfg args.
 */
final class CmdlineTokens {
  private CmdlineTokens() {}

  /** Keys that may legitimately repeat with different values (never replaced in place). */
  static final Set<String> MULTI = Set.of("console", "earlycon", "hugepagesz", "hugepages");

  static List<String> split(String text) {
    String t = text == null ? "" : text.strip();
    return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
  }

  static String key(String token) {
    int eq = token.indexOf('=');
    return eq < 0 ? token : token.substring(0, eq);
  }

  static boolean hasValue(String token) {
    return token.indexOf('=') >= 0;
  }

  /** True when {@code absent} (a token or a bare key) matches {@code token}. */
  static boolean matchesAbsent(String absent, String token) {
    return hasValue(absent) ? absent.equals(token) : key(token).equals(absent);
  }

  /** A token with the same key but another value, which {@code present} replaces. */
  static boolean conflicts(String present, String token) {
    return !token.equals(present) && key(token).equals(key(present)) && !MULTI.contains(key(present));
  }

  /** True when the tokens hold every present token, no absent one and no conflicting value. */
  static boolean satisfies(List<String> tokens, List<String> present, List<String> absent) {
    return missing(tokens, present, absent).isEmpty() && unwanted(tokens, present, absent).isEmpty();
  }

  /** Present tokens not in {@code tokens}. */
  static List<String> missing(List<String> tokens, List<String> present, List<String> absent) {
    return present.stream().filter(p -> !tokens.contains(p)).toList();
  }

  /** Tokens that an absent entry matches or that conflict with a present one. */
  static List<String> unwanted(List<String> tokens, List<String> present, List<String> absent) {
    return tokens.stream()
        .filter(t -> absent.stream().anyMatch(a -> matchesAbsent(a, t))
            || present.stream().anyMatch(p -> conflicts(p, t)))
        .distinct()
        .toList();
  }

  /**
   * The edit: absent and conflicting tokens removed, a present token with the same key replaced in
   * place (first occurrence), missing ones appended; other tokens keep their order.
   */
  static List<String> edit(List<String> tokens, List<String> present, List<String> absent) {
    List<String> out = new ArrayList<>();
    List<String> placed = new ArrayList<>();
    for (String t : tokens) {
      if (absent.stream().anyMatch(a -> matchesAbsent(a, t))) {
        continue;
      }
      String replacement = present.stream().filter(p -> conflicts(p, t)).findFirst().orElse(null);
      if (replacement != null) {
        if (!placed.contains(replacement) && !tokens.contains(replacement)) {
          out.add(replacement);
          placed.add(replacement);
        }
        continue;
      }
      if (present.contains(t) && out.contains(t)) {
        continue;
      }
      out.add(t);
    }
    for (String p : present) {
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** The edit for a variable that must only lose tokens (GRUB_CMDLINE_LINUX_DEFAULT). */
  static List<String> removeOnly(List<String> tokens, List<String> present, List<String> absent) {
    return tokens.stream()
        .filter(t -> absent.stream().noneMatch(a -> matchesAbsent(a, t))
            && present.stream().noneMatch(p -> conflicts(p, t)))
        .toList();
  }
}

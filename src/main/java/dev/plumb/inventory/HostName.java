package dev.plumb.inventory;

import dev.plumb.source.Mark;
import dev.plumb.source.Problems;
import java.util.regex.Pattern;

/**
 * What an inventory host name may be. A name becomes a path (the ledger's {@code hosts/<name>/},
 * report files) and a word in messages, so one that could climb out of a directory, hide in a
 * listing or read as an option is refused where it is written.
 */
final class HostName {
  private HostName() {}

  static final int MAX_LENGTH = 253;
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._:@+-]*");

  /** True when {@code name} is safe; otherwise reports why at {@code mark}. */
  static boolean check(String name, Mark mark, Problems problems) {
    if (name.length() <= MAX_LENGTH && SAFE.matcher(name).matches() && !name.contains("..")) {
      return true;
    }
    String shown = name.length() > 60 ? name.substring(0, 57) + "..." : name;
    problems.error(mark, "host name '" + escape(shown) + "' is not allowed: a host name is also a file name, so it"
        + " takes letters, digits and . _ - : @ + only, starts with a letter, digit or _, has no '..', and has at"
        + " most " + MAX_LENGTH + " characters",
        "rename the host and put its address in ansible_host, e.g. web1: {ansible_host: " + "10.0.0.5}");
    return false;
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }
}

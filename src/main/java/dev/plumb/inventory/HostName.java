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
  // Ansible takes almost any key as a host name (kubespray's sample has "node1 node2 node3"); what
  // is refused is what could leave a directory or read as an option: a separator, a control
  // character, "." or "..", a leading "-".
  private static final Pattern UNSAFE = Pattern.compile("[/\\\\\\p{Cntrl}]");

  /** True when {@code name} is safe; otherwise reports why at {@code mark}. */
  static boolean check(String name, Mark mark, Problems problems) {
    if (!name.isEmpty() && name.length() <= MAX_LENGTH && !UNSAFE.matcher(name).find() && !name.equals(".")
        && !name.equals("..") && !name.startsWith("-")) {
      return true;
    }
    String shown = name.length() > 60 ? name.substring(0, 57) + "..." : name;
    problems.error(mark, "host name '" + escape(shown) + "' is not allowed: a host name is also a file name, so it"
        + " has no '/', '\\' or control characters, is not '.' or '..', does not start with '-', and has at most "
        + MAX_LENGTH + " characters",
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

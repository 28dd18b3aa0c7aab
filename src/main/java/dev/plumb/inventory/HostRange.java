package dev.plumb.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ansible host ranges: {@code lab[1:4]}, {@code gpu[01:10]}, {@code node[a:c]}, {@code x[0:10:5]}. */
final class HostRange {
  private static final Pattern RANGE = Pattern.compile("\\[([0-9]+|[a-z]):([0-9]+|[a-z])(?::([0-9]+))?\\]");

  private HostRange() {}

  /** The names a host entry stands for; empty when a range is malformed (end before start, mixed kinds). */
  static Optional<List<String>> expand(String name) {
    Matcher m = RANGE.matcher(name);
    if (!m.find()) {
      return name.matches(".*\\[[^\\]]*:[^\\]]*\\].*") ? Optional.empty() : Optional.of(List.of(name));
    }
    String head = name.substring(0, m.start());
    String tail = name.substring(m.end());
    String from = m.group(1);
    String to = m.group(2);
    int step = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
    boolean numeric = Character.isDigit(from.charAt(0));
    if (numeric != Character.isDigit(to.charAt(0)) || step == 0) {
      return Optional.empty();
    }
    List<String> items = new ArrayList<>();
    if (numeric) {
      long a = Long.parseLong(from);
      long b = Long.parseLong(to);
      // A leading zero means fixed width, as in Ansible: [01:10] gives 01 … 10.
      String format = from.length() > 1 && from.startsWith("0") ? "%0" + from.length() + "d" : "%d";
      if (b < a || (b - a) / step > 10_000) {
        return Optional.empty();
      }
      for (long i = a; i <= b; i += step) {
        items.add(String.format(format, i));
      }
    } else {
      if (to.charAt(0) < from.charAt(0)) {
        return Optional.empty();
      }
      for (char c = from.charAt(0); c <= to.charAt(0); c += (char) step) {
        items.add(String.valueOf(c));
      }
    }
    List<String> out = new ArrayList<>();
    for (String item : items) {
      Optional<List<String>> rest = expand(tail);
      if (rest.isEmpty()) {
        return Optional.empty();
      }
      rest.get().forEach(r -> out.add(head + item + r));
    }
    return Optional.of(out);
  }
}

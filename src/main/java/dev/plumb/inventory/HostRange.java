package dev.plumb.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible host entries: an optional {@code :port} and ranges ({@code lab[1:4]}, {@code
 * gpu[01:10:2]}, {@code db-[a:f]}, several per name), as ansible-core's parse_address and
 * expand_hostname_range read them.
 */
final class HostRange {
  private static final String NUMERIC_RANGE = "\\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
  private static final String HEX_RANGE = "\\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\\]";
  private static final String ALNUM_RANGE = "\\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
  private static final String V6 = "(?:[0-9a-f]{1,4}|" + HEX_RANGE + ")";
  private static final String V4 = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|" + NUMERIC_RANGE + ")";
  private static final String LABEL = "(?:\\w|" + ALNUM_RANGE + ")(?:[\\w_-]|" + ALNUM_RANGE + ")*(?<![_-])";

  private static final Pattern BRACKETED_HOSTPORT = Pattern.compile("^\\[(.+)\\]:([0-9]+)$");
  private static final Pattern HOSTPORT = Pattern.compile("^((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)$");
  private static final Pattern IPV4 = Pattern.compile("^(?:" + V4 + "\\.){3}" + V4 + "$", Pattern.CASE_INSENSITIVE);
  private static final Pattern IPV6 = Pattern.compile("^(?:"
      + "(?:" + V6 + ":){7}" + V6 + "|(?:" + V6 + ":){1,6}:|(?:" + V6 + ":)(?::" + V6 + "){1,6}"
      + "|(?:" + V6 + ":){2}(?::" + V6 + "){1,5}|(?:" + V6 + ":){3}(?::" + V6 + "){1,4}"
      + "|(?:" + V6 + ":){4}(?::" + V6 + "){1,3}|(?:" + V6 + ":){5}(?::" + V6 + "){1,2}"
      + "|(?:" + V6 + ":){6}(?::" + V6 + ")|:(?::" + V6 + "){1,6}|" + V6 + "?::"
      + "|(?:0:){6}(?:" + V6 + "\\.){3}" + V6 + "|::(?:ffff:)?(?:" + V6 + "\\.){3}" + V6
      + "|(?:0:){5}ffff:(?:" + V6 + "\\.){3}" + V6 + ")$", Pattern.CASE_INSENSITIVE);
  private static final Pattern HOSTNAME = Pattern.compile("^" + LABEL + "(?:\\." + LABEL + ")*$",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final int MAX_HOSTS = 100_000;

  /** The hosts one entry stands for, and the port it gives them (null when none). */
  record Entry(List<String> names, Integer port) {}

  private HostRange() {}

  /** An inventory host entry; empty when its range cannot be read (Ansible refuses the inventory then). */
  static Optional<Entry> entry(String pattern) {
    String host = pattern;
    Integer port = null;
    String address = pattern;
    Integer p = null;
    for (Pattern hp : List.of(BRACKETED_HOSTPORT, HOSTPORT)) {
      Matcher m = hp.matcher(address);
      if (m.matches()) {
        address = m.group(1);
        try {
          p = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
          p = null;
        }
      }
    }
    // A port counts only when what is before it is a host name or address (parse_address).
    if (IPV4.matcher(address).matches() || IPV6.matcher(address).matches() || HOSTNAME.matcher(address).matches()) {
      host = address;
      port = p;
    }
    Optional<List<String>> names = host.contains("[") ? expand(host) : Optional.of(List.of(host));
    Integer given = port;
    return names.map(n -> new Entry(n, given));
  }

  /** The names a host entry stands for; empty when a range is malformed. */
  static Optional<List<String>> expand(String line) {
    List<String> out = new ArrayList<>();
    return expandInto(line, out) ? Optional.of(out) : Optional.empty();
  }

  private static boolean expandInto(String line, List<String> out) {
    int open = line.indexOf('[');
    int close = line.indexOf(']');
    if (open < 0 || close < 0) {
      return false; // "[" with no "]": Python's split yields too few parts
    }
    String first = line.replaceFirst("\\[", "|").replaceFirst("]", "|");
    String[] parts = first.split("\\|", -1);
    if (parts.length != 3) {
      return false;
    }
    String head = parts[0];
    String range = parts[1];
    String tail = parts[2];
    String[] bounds = range.split(":", -1);
    if (bounds.length != 2 && bounds.length != 3) {
      return false;
    }
    String beg = bounds[0].isEmpty() ? "0" : bounds[0];
    String end = bounds[1];
    if (end.isEmpty()) {
      return false;
    }
    boolean padded = beg.charAt(0) == '0' && beg.length() > 1;
    if (padded && beg.length() != end.length()) {
      return false;
    }
    List<String> seq = new ArrayList<>();
    try {
      int step = bounds.length == 3 ? pyInt(bounds[2]) : 1;
      if (step <= 0) {
        return false;
      }
      int iBeg = LETTERS.indexOf(beg);
      int iEnd = LETTERS.indexOf(end);
      if (iBeg >= 0 && iEnd >= 0) {
        if (iBeg > iEnd) {
          return false;
        }
        for (int k = iBeg; k <= iEnd; k += step) {
          seq.add(String.valueOf(LETTERS.charAt(k)));
        }
      } else {
        long b = pyInt(beg);
        long e = pyInt(end);
        if ((e - b) / step > MAX_HOSTS) {
          return false;
        }
        for (long k = b; k <= e; k += step) {
          String s = Long.toString(k);
          seq.add(padded && s.length() < beg.length() ? "0".repeat(beg.length() - s.length()) + s : s);
        }
      }
    } catch (NumberFormatException e) {
      return false;
    }
    for (String item : seq) {
      String name = head + item + tail;
      if (name.contains("[")) {
        if (!expandInto(name, out)) {
          return false;
        }
      } else {
        out.add(name);
      }
      if (out.size() > MAX_HOSTS) {
        return false;
      }
    }
    return true;
  }

  /** Python's int() of a string: surrounding spaces and single underscores between digits allowed. */
  private static int pyInt(String s) {
    String t = s.strip();
    if (t.startsWith("_") || t.endsWith("_") || t.contains("__")) {
      throw new NumberFormatException(s);
    }
    return Integer.parseInt(t.replace("_", ""));
  }
}

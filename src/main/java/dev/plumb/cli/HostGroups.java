package dev.plumb.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hosts that would show the same block, shown once: a 200-host fleet with one change reads as one
 * block headed "200 hosts: lab001…lab200", not 200 identical ones.
 */
final class HostGroups {
  private HostGroups() {}

  /** Items with equal keys, in the order of each group's first item; the key is compared with equals. */
  record Group<T>(Object key, List<T> members) {}

  static <T> List<Group<T>> of(List<T> items, Function<T, Object> key) {
    Map<Object, List<T>> groups = new LinkedHashMap<>();
    for (T item : items) {
      groups.computeIfAbsent(key.apply(item), k -> new ArrayList<>()).add(item);
    }
    List<Group<T>> out = new ArrayList<>();
    groups.forEach((k, v) -> out.add(new Group<>(k, List.copyOf(v))));
    return out;
  }

  /** "lab01" for one host; "10 hosts: lab01…lab10" for several. */
  static String heading(List<String> names) {
    return names.size() == 1 ? names.get(0) : names.size() + " hosts: " + compact(names);
  }

  private static final Pattern NUMBERED = Pattern.compile("(.*?)(\\d+)");

  /**
   * Names in the given order, runs of three or more consecutive numbers with one prefix and one
   * digit width written {@code first…last}: "lab001…lab200", "lab01, lab03", "a1…a3, gpu-b".
   */
  static String compact(List<String> names) {
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (i < names.size()) {
      int end = i;
      while (end + 1 < names.size() && follows(names.get(end), names.get(end + 1))) {
        end++;
      }
      if (end - i >= 2) {
        parts.add(names.get(i) + "…" + names.get(end));
      } else {
        for (int k = i; k <= end; k++) {
          parts.add(names.get(k));
        }
      }
      i = end + 1;
    }
    return String.join(", ", parts);
  }

  /** {@code b} is {@code a} with its trailing number plus one, written with as many digits. */
  private static boolean follows(String a, String b) {
    Matcher ma = NUMBERED.matcher(a);
    Matcher mb = NUMBERED.matcher(b);
    if (!ma.matches() || !mb.matches() || !ma.group(1).equals(mb.group(1)) || mb.group(2).length() > 18) {
      return false;
    }
    // lab09 -> lab10 keeps the width; lab9 -> lab10 is unpadded; lab09 -> lab010 is neither.
    boolean padded = ma.group(2).startsWith("0") || mb.group(2).startsWith("0");
    if (padded && ma.group(2).length() != mb.group(2).length()) {
      return false;
    }
    return Long.parseLong(mb.group(2)) == Long.parseLong(ma.group(2)) + 1;
  }
}

package dev.plumb.inventory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An Ansible host pattern: {@code all}, {@code *}, host and group names, globs ({@code lab*}),
 * {@code ~regex}, joined by {@code :} or {@code ,}; {@code &x} intersects, {@code !x} excludes.
 *
 * <p>As in Ansible, plain terms are unioned first, then intersections, then exclusions are
 * applied, whatever their order in the text; a pattern of only exclusions starts from {@code all}.
 */
public record HostPattern(String text, List<String> union, List<String> intersect, List<String> exclude) {

  public HostPattern {
    union = List.copyOf(union);
    intersect = List.copyOf(intersect);
    exclude = List.copyOf(exclude);
  }

  public static HostPattern parse(String text) {
    // A comma anywhere means comma-separated (so IPv6 addresses can be written); else colons.
    String[] parts = text.contains(",") ? text.split(",") : text.split(":");
    List<String> union = new ArrayList<>();
    List<String> intersect = new ArrayList<>();
    List<String> exclude = new ArrayList<>();
    for (String raw : parts) {
      String p = raw.strip();
      if (p.isEmpty()) {
        continue;
      }
      if (p.startsWith("!")) {
        exclude.add(p.substring(1));
      } else if (p.startsWith("&")) {
        intersect.add(p.substring(1));
      } else {
        union.add(p);
      }
    }
    if (union.isEmpty()) {
      union.add("all");
    }
    return new HostPattern(text, union, intersect, exclude);
  }

  /** The selected hosts, in inventory order. */
  public List<Host> select(Inventory inventory) {
    Set<String> chosen = new LinkedHashSet<>();
    union.forEach(t -> chosen.addAll(term(t, inventory)));
    intersect.forEach(t -> chosen.retainAll(term(t, inventory)));
    exclude.forEach(t -> chosen.removeAll(term(t, inventory)));
    return inventory.hosts().stream().filter(h -> chosen.contains(h.name())).toList();
  }

  /** The terms (without their {@code !}/{@code &}) that match no host and no group. */
  public List<String> unmatchedTerms(Inventory inventory) {
    List<String> out = new ArrayList<>();
    for (List<String> terms : List.of(union, intersect, exclude)) {
      terms.stream().filter(t -> term(t, inventory).isEmpty() && !inventory.groups().contains(t)).forEach(out::add);
    }
    return out;
  }

  /** The hosts one term names. */
  static Set<String> term(String term, Inventory inventory) {
    Set<String> out = new LinkedHashSet<>();
    if (term.equals("all") || term.equals("*")) {
      inventory.hosts().forEach(h -> out.add(h.name()));
      return out;
    }
    Pattern regex = regex(term);
    if (regex == null) {
      out.addAll(inventory.hostsOf(term));
      inventory.host(term).ifPresent(h -> out.add(h.name()));
      return out;
    }
    for (String group : inventory.groups()) {
      if (regex.matcher(group).matches()) {
        out.addAll(inventory.hostsOf(group));
      }
    }
    inventory.hosts().stream().filter(h -> regex.matcher(h.name()).matches()).forEach(h -> out.add(h.name()));
    return out;
  }

  /** A regex for {@code ~re} and globs; null for a plain name. */
  private static Pattern regex(String term) {
    if (term.startsWith("~")) {
      try {
        return Pattern.compile(term.substring(1));
      } catch (PatternSyntaxException e) {
        return Pattern.compile(Pattern.quote(term));
      }
    }
    if (!term.contains("*") && !term.contains("?") && !term.contains("[")) {
      return null;
    }
    StringBuilder re = new StringBuilder();
    for (char c : term.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '[', ']' -> re.append(c);
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    try {
      return Pattern.compile(re.toString());
    } catch (PatternSyntaxException e) {
      return Pattern.compile(Pattern.quote(term));
    }
  }
}

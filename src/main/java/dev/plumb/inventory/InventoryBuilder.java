package dev.plumb.inventory;

import dev.plumb.source.Mark;
import dev.plumb.source.Problems;
import dev.plumb.source.Value;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Groups and hosts as the inventory files declare them; {@link #build} merges variables. */
final class InventoryBuilder {
  static final String ALL = "all";
  static final String UNGROUPED = "ungrouped";

  /** Paths in these variables are made absolute against the file that set them. */
  static final Set<String> PATH_VARS =
      Set.of("ansible_ssh_private_key_file", "ansible_private_key_file", "known_hosts_file");

  private static final class Group {
    final String name;
    final Set<String> hosts = new LinkedHashSet<>();
    final Set<String> children = new LinkedHashSet<>();
    final Map<String, Value> inline = new LinkedHashMap<>();
    final Map<String, Value> files = new LinkedHashMap<>();
    Mark mark;

    Group(String name, Mark mark) {
      this.name = name;
      this.mark = mark;
    }
  }

  private static final class HostDef {
    final Map<String, Value> inline = new LinkedHashMap<>();
    final Map<String, Value> files = new LinkedHashMap<>();
  }

  private final Map<String, Group> groups = new LinkedHashMap<>();
  private final Map<String, HostDef> hosts = new LinkedHashMap<>();

  InventoryBuilder() {
    groups.put(ALL, new Group(ALL, Mark.nowhere("inventory")));
  }

  void group(String name, Mark mark) {
    groups.computeIfAbsent(name, n -> new Group(n, mark));
  }

  void child(String parent, String child, Mark mark) {
    group(parent, mark);
    group(child, mark);
    groups.get(parent).children.add(child);
  }

  void host(String group, String host) {
    group(group, Mark.nowhere("inventory"));
    hosts.computeIfAbsent(host, h -> new HostDef());
    if (!group.equals(ALL)) {
      groups.get(group).hosts.add(host);
    }
  }

  boolean hasGroup(String name) {
    return groups.containsKey(name);
  }

  boolean hasHost(String name) {
    return hosts.containsKey(name);
  }

  Set<String> groupNames() {
    return groups.keySet();
  }

  Set<String> hostNames() {
    return hosts.keySet();
  }

  void groupVars(String group, Map<String, Value> vars, boolean fromFile, Path dir) {
    Group g = groups.get(group);
    (fromFile ? g.files : g.inline).putAll(absolutize(vars, dir));
  }

  void hostVars(String host, Map<String, Value> vars, boolean fromFile, Path dir) {
    HostDef h = hosts.computeIfAbsent(host, n -> new HostDef());
    (fromFile ? h.files : h.inline).putAll(absolutize(vars, dir));
  }

  static Map<String, Value> absolutize(Map<String, Value> vars, Path dir) {
    Map<String, Value> out = new LinkedHashMap<>(vars);
    for (String name : PATH_VARS) {
      if (out.get(name) instanceof Value.Scalar s && isRelative(s.text()) && dir != null) {
        String abs = dir.toAbsolutePath().resolve(s.text()).normalize().toString();
        out.put(name, new Value.Scalar(abs, s.mark()));
      }
    }
    return out;
  }

  private static boolean isRelative(String path) {
    return !path.isEmpty() && !path.contains("{{") && !path.startsWith("~") && !Path.of(path).isAbsolute();
  }

  Inventory build(Path directory, Problems problems) {
    // Hosts in no group but `all` are in `ungrouped`, as in Ansible.
    Set<String> grouped = new LinkedHashSet<>();
    groups.values().forEach(g -> grouped.addAll(g.hosts));
    for (String h : hosts.keySet()) {
      if (!grouped.contains(h)) {
        host(UNGROUPED, h);
      }
    }
    Map<String, Set<String>> parents = new LinkedHashMap<>();
    groups.keySet().forEach(g -> parents.put(g, new LinkedHashSet<>()));
    groups.values().forEach(g -> g.children.forEach(c -> parents.get(c).add(g.name)));
    for (Group g : groups.values()) {
      if (!g.name.equals(ALL) && parents.get(g.name).isEmpty()) { // top-level groups are children of all
        groups.get(ALL).children.add(g.name);
        parents.get(g.name).add(ALL);
      }
    }
    Map<String, Integer> depth = depths(parents, problems);
    Comparator<String> order = Comparator.comparing((String g) -> depth.getOrDefault(g, 0)).thenComparing(g -> g);
    Map<String, Set<String>> members = new LinkedHashMap<>();
    for (String g : groups.keySet()) {
      members.put(g, membersOf(g, new LinkedHashSet<>()));
    }
    List<Host> built = new ArrayList<>();
    for (Map.Entry<String, HostDef> e : hosts.entrySet()) {
      String name = e.getKey();
      List<String> in = new ArrayList<>();
      for (String g : groups.keySet()) {
        if (members.get(g).contains(name)) {
          in.add(g);
        }
      }
      in.sort(order);
      built.add(new Host(name, in, mergeVars(in, e.getValue())));
    }
    return new Inventory(built, members, directory);
  }

  // Ansible's order (VariableManager.get_vars): all's inline vars, all's group_vars file, every
  // other group's inline vars (sorted by depth then name), their group_vars files, the host's
  // inline vars, its host_vars files. Later wins.
  private Map<String, Value> mergeVars(List<String> hostGroups, HostDef host) {
    Map<String, Value> vars = new LinkedHashMap<>();
    vars.putAll(groups.get(ALL).inline);
    vars.putAll(groups.get(ALL).files);
    for (String g : hostGroups) {
      if (!g.equals(ALL)) {
        vars.putAll(groups.get(g).inline);
      }
    }
    for (String g : hostGroups) {
      if (!g.equals(ALL)) {
        vars.putAll(groups.get(g).files);
      }
    }
    vars.putAll(host.inline);
    vars.putAll(host.files);
    return vars;
  }

  private Set<String> membersOf(String group, Set<String> visiting) {
    Set<String> out = new LinkedHashSet<>();
    if (!visiting.add(group)) {
      return out;
    }
    if (group.equals(ALL)) {
      out.addAll(hosts.keySet());
      return out;
    }
    Group g = groups.get(group);
    out.addAll(g.hosts);
    for (String c : g.children) {
      out.addAll(membersOf(c, visiting));
    }
    visiting.remove(group);
    return out;
  }

  private Map<String, Integer> depths(Map<String, Set<String>> parents, Problems problems) {
    Map<String, Integer> depth = new HashMap<>();
    for (String g : groups.keySet()) {
      depthOf(g, parents, depth, new ArrayDeque<>(), problems);
    }
    return depth;
  }

  private int depthOf(String g, Map<String, Set<String>> parents, Map<String, Integer> depth,
      Deque<String> stack, Problems problems) {
    if (g.equals(ALL)) {
      return 0;
    }
    Integer known = depth.get(g);
    if (known != null) {
      return known;
    }
    if (stack.contains(g)) {
      List<String> cycle = new ArrayList<>();
      stack.descendingIterator().forEachRemaining(cycle::add);
      cycle = cycle.subList(cycle.indexOf(g), cycle.size());
      problems.error(groups.get(g).mark, "groups are children of each other: " + String.join(" -> ", cycle) + " -> " + g,
          "remove one of these children: entries");
      return 1;
    }
    stack.push(g);
    int d = 1;
    for (String p : parents.get(g)) {
      d = Math.max(d, depthOf(p, parents, depth, stack, problems) + 1);
    }
    stack.pop();
    depth.put(g, d);
    return d;
  }
}

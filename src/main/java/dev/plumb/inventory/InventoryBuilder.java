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

/**
 * Groups and hosts as the inventory files declare them, kept the way ansible-core's
 * InventoryData keeps them (creation order of groups, order of hosts and children within a group,
 * depth, {@code ansible_group_priority}); {@link #build} reconciles and merges variables in
 * VariableManager's order.
 *
 * <p>Over 250 lines because it mirrors one structure of ansible-core (InventoryData, and
 * VariableManager's merge): groups, hosts, depths and priorities are only reconciled together, in
 * {@link #build}.
 */
final class InventoryBuilder {
  static final String ALL = "all";
  static final String UNGROUPED = "ungrouped";
  static final String PRIORITY = "ansible_group_priority";

  /** Paths in these variables are made absolute against the file that set them. */
  static final Set<String> PATH_VARS =
      Set.of("ansible_ssh_private_key_file", "ansible_private_key_file", "known_hosts_file");

  /** Variables ansible-inventory never prints (its INTERNAL_VARS). */
  static final Set<String> INTERNAL_VARS = Set.of("ansible_diff_mode", "ansible_config_file", "ansible_facts",
      "ansible_forks", "ansible_inventory_sources", "ansible_limit", "ansible_playbook_python", "ansible_run_tags",
      "ansible_skip_tags", "ansible_verbosity", "ansible_version", "inventory_dir", "inventory_file",
      "inventory_hostname", "inventory_hostname_short", "groups", "group_names", "omit", "playbook_dir");

  /** One variable as plumb uses it (text with its mark) and as Ansible types it (for showing). */
  record Var(Value value, Object typed) {}

  private static final class Group {
    final String name;
    final List<String> hosts = new ArrayList<>();
    final List<String> children = new ArrayList<>();
    final Map<String, Var> inline = new LinkedHashMap<>();
    final List<Map<String, Var>> files = new ArrayList<>();
    final Mark mark;
    int priority = 1;

    Group(String name, Mark mark) {
      this.name = name;
      this.mark = mark;
    }
  }

  private static final class HostDef {
    final Map<String, Var> inline = new LinkedHashMap<>();
    final List<Map<String, Var>> files = new ArrayList<>();
  }

  private final Map<String, Group> groups = new LinkedHashMap<>();
  private final Map<String, HostDef> hosts = new LinkedHashMap<>();

  InventoryBuilder() {
    group(ALL, Mark.nowhere("inventory"));
    group(UNGROUPED, Mark.nowhere("inventory"));
    child(ALL, UNGROUPED, Mark.nowhere("inventory"));
  }

  void group(String name, Mark mark) {
    groups.computeIfAbsent(name, n -> new Group(n, mark));
  }

  void child(String parent, String child, Mark mark) {
    group(parent, mark);
    group(child, mark);
    List<String> kids = groups.get(parent).children;
    if (!parent.equals(child) && !kids.contains(child)) {
      kids.add(child);
    }
  }

  /** A host in a group; a port (from {@code host:port}) is set when the host is first seen, as Ansible does. */
  void host(String group, String host, Integer port, Mark mark) {
    group(group, Mark.nowhere("inventory"));
    if (!hosts.containsKey(host)) {
      HostDef def = new HostDef();
      hosts.put(host, def);
      if (port != null && port != 0) {
        def.inline.put("ansible_port", new Var(new Value.Scalar(String.valueOf(port), mark), (long) port));
      }
    }
    List<String> in = groups.get(group).hosts;
    if (!in.contains(host)) {
      in.add(host);
    }
  }

  void host(String group, String host) {
    host(group, host, null, Mark.nowhere("inventory"));
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

  /** A group variable from the inventory file; {@code ansible_group_priority} sets the priority instead. */
  void groupVar(String group, String key, Var var, Path dir, Problems problems) {
    Group g = groups.get(group);
    if (key.equals(PRIORITY)) {
      priority(var).ifPresentOrElse(p -> g.priority = p, () -> problems.error(var.value().mark(),
          PRIORITY + " must be an integer, got '" + var.value().toPlain() + "'", "write a whole number, e.g. 10"));
      return;
    }
    g.inline.put(key, absolutize(key, var, dir));
  }

  void hostVar(String host, String key, Var var, Path dir) {
    hosts.get(host).inline.put(key, absolutize(key, var, dir));
  }

  /** One group_vars/ file's variables, in the order Ansible reads the files. */
  void groupVarsFile(String group, Map<String, Var> vars, Path dir) {
    Map<String, Var> out = new LinkedHashMap<>();
    vars.forEach((k, v) -> out.put(k, absolutize(k, v, dir)));
    groups.get(group).files.add(out);
  }

  void hostVarsFile(String host, Map<String, Var> vars, Path dir) {
    Map<String, Var> out = new LinkedHashMap<>();
    vars.forEach((k, v) -> out.put(k, absolutize(k, v, dir)));
    hosts.get(host).files.add(out);
  }

  private static java.util.Optional<Integer> priority(Var var) {
    Object t = var.typed();
    if (t instanceof Long l) {
      return java.util.Optional.of(l.intValue());
    }
    if (t instanceof Boolean b) {
      return java.util.Optional.of(b ? 1 : 0);
    }
    try {
      return java.util.Optional.of(Integer.parseInt(String.valueOf(t).strip()));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  static Var absolutize(String key, Var var, Path dir) {
    if (PATH_VARS.contains(key) && var.value() instanceof Value.Scalar s && isRelative(s.text()) && dir != null) {
      String abs = dir.toAbsolutePath().resolve(s.text()).normalize().toString();
      return new Var(new Value.Scalar(abs, s.mark()), var.typed());
    }
    return var;
  }

  private static boolean isRelative(String path) {
    return !path.isEmpty() && !path.contains("{{") && !path.startsWith("~") && !Path.of(path).isAbsolute();
  }

  Inventory build(Path directory, Problems problems) {
    Map<String, Set<String>> parents = parents();
    // reconcile_inventory: groups without a parent become children of all, in creation order ...
    for (Group g : groups.values()) {
      if (!g.name.equals(ALL) && parents.get(g.name).isEmpty()) {
        child(ALL, g.name, g.mark);
        parents.get(g.name).add(ALL);
      }
    }
    Map<String, Integer> depth = depths(parents, problems);
    if (problems.hasErrors()) {
      return new Inventory(List.of(), Map.of(), directory, AnsibleView.empty());
    }
    Map<String, Set<String>> members = new LinkedHashMap<>();
    for (String g : groups.keySet()) {
      members.put(g, membersOf(g, new LinkedHashSet<>()));
    }
    // ... and a host in no group but all (or only in ungrouped) is in ungrouped, and only then.
    Group ungrouped = groups.get(UNGROUPED);
    for (String h : hosts.keySet()) {
      boolean elsewhere = groups.values().stream()
          .anyMatch(g -> !g.name.equals(ALL) && !g.name.equals(UNGROUPED) && members.get(g.name).contains(h));
      if (elsewhere) {
        ungrouped.hosts.remove(h);
      } else if (!ungrouped.hosts.contains(h)) {
        ungrouped.hosts.add(h);
      }
    }
    members.put(UNGROUPED, new LinkedHashSet<>(ungrouped.hosts));
    members.put(ALL, new LinkedHashSet<>(hosts.keySet()));
    // sort_groups: depth, then ansible_group_priority, then name.
    Comparator<String> order = Comparator.comparing((String g) -> depth.getOrDefault(g, 0))
        .thenComparing(g -> groups.get(g).priority).thenComparing(g -> g);
    List<Host> built = new ArrayList<>();
    Map<String, Map<String, Object>> shown = new LinkedHashMap<>();
    for (Map.Entry<String, HostDef> e : hosts.entrySet()) {
      String name = e.getKey();
      List<String> in = new ArrayList<>();
      for (String g : groups.keySet()) {
        if (!g.equals(ALL) && members.get(g).contains(name)) {
          in.add(g);
        }
      }
      in.sort(order);
      Map<String, Var> merged = mergeVars(in, e.getValue());
      Map<String, Value> vars = new LinkedHashMap<>();
      Map<String, Object> typed = new LinkedHashMap<>();
      merged.forEach((k, v) -> {
        vars.put(k, v.value());
        if (!INTERNAL_VARS.contains(k)) {
          typed.put(k, v.typed());
        }
      });
      List<String> withAll = new ArrayList<>();
      withAll.add(ALL);
      withAll.addAll(in);
      built.add(new Host(name, withAll, vars));
      shown.put(name, typed);
    }
    Map<String, List<String>> groupHosts = new LinkedHashMap<>();
    Map<String, List<String>> groupChildren = new LinkedHashMap<>();
    groups.values().forEach(g -> {
      groupHosts.put(g.name, List.copyOf(g.hosts));
      groupChildren.put(g.name, List.copyOf(g.children));
    });
    return new Inventory(built, members, directory, new AnsibleView(groupHosts, groupChildren, shown));
  }

  private Map<String, Set<String>> parents() {
    Map<String, Set<String>> parents = new LinkedHashMap<>();
    groups.keySet().forEach(g -> parents.put(g, new LinkedHashSet<>()));
    groups.values().forEach(g -> g.children.forEach(c -> parents.get(c).add(g.name)));
    return parents;
  }

  // VariableManager.get_vars with the default VARIABLE_PRECEDENCE: all's inline vars, every other
  // group's inline vars (in sort_groups order), all's group_vars files, the other groups' group_vars
  // files, the host's inline vars, its host_vars files. Later wins, key by key.
  private Map<String, Var> mergeVars(List<String> hostGroups, HostDef host) {
    Map<String, Var> vars = new LinkedHashMap<>();
    vars.putAll(groups.get(ALL).inline);
    hostGroups.forEach(g -> vars.putAll(groups.get(g).inline));
    groups.get(ALL).files.forEach(vars::putAll);
    hostGroups.forEach(g -> groups.get(g).files.forEach(vars::putAll));
    vars.putAll(host.inline);
    host.files.forEach(vars::putAll);
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

  /** A group's depth is its longest path from all, as Group.add_child_group maintains it. */
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

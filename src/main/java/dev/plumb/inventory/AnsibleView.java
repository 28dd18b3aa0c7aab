package dev.plumb.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The inventory as {@code ansible-inventory} shows it: {@code --list} JSON, the {@code --graph}
 * tree and {@code --host} variables, byte for byte (ansible-core 2.14's InventoryCLI).
 *
 * <p>Groups keep their creation order and the order of their hosts and children, because
 * ansible-inventory prints those lists unsorted; variables are typed as Ansible types them.
 */
record AnsibleView(Map<String, List<String>> groupHosts, Map<String, List<String>> groupChildren,
    Map<String, Map<String, Object>> hostVars) {

  static AnsibleView empty() {
    return new AnsibleView(Map.of(), Map.of(), Map.of());
  }

  /** {@code ansible-inventory --list}. */
  String list() {
    Map<String, Object> results = new LinkedHashMap<>();
    if (groupHosts.containsKey(InventoryBuilder.ALL)) {
      results.putAll(formatGroup(InventoryBuilder.ALL, new HashSet<>()));
    }
    Map<String, Object> hostvars = new LinkedHashMap<>();
    hostVars.forEach((host, vars) -> {
      if (!vars.isEmpty()) {
        hostvars.put(host, vars);
      }
    });
    results.put("_meta", Map.of("hostvars", hostvars));
    return PyJson.dumps(results);
  }

  private Map<String, Object> formatGroup(String group, Set<String> seen) {
    Map<String, Object> results = new LinkedHashMap<>();
    Map<String, Object> entry = new LinkedHashMap<>();
    results.put(group, entry);
    if (!group.equals(InventoryBuilder.ALL)) {
      entry.put("hosts", groupHosts.get(group));
    }
    List<String> children = new ArrayList<>();
    entry.put("children", children);
    for (String sub : groupChildren.get(group)) {
      children.add(sub);
      if (!seen.contains(sub)) {
        results.putAll(formatGroup(sub, seen));
        seen.add(sub);
      }
    }
    entry.values().removeIf(v -> v instanceof List<?> l && l.isEmpty());
    if (entry.isEmpty()) {
      results.remove(group);
    }
    return results;
  }

  /** {@code ansible-inventory --graph [GROUP]}; empty for an unknown group. */
  Optional<String> graph(String group) {
    if (!groupHosts.containsKey(group)) {
      return Optional.empty();
    }
    List<String> lines = new ArrayList<>();
    graphGroup(group, 0, lines);
    return Optional.of(String.join("\n", lines));
  }

  private void graphGroup(String group, int depth, List<String> lines) {
    lines.add(graphName("@" + group + ":", depth));
    for (String kid : groupChildren.get(group)) {
      graphGroup(kid, depth + 1, lines);
    }
    if (!group.equals(InventoryBuilder.ALL)) {
      groupHosts.get(group).forEach(h -> lines.add(graphName(h, depth + 1)));
    }
  }

  private static String graphName(String name, int depth) {
    return depth == 0 ? name : "  |".repeat(depth) + "--" + name;
  }

  /** {@code ansible-inventory --host NAME}; empty for an unknown host. */
  Optional<String> host(String name) {
    return Optional.ofNullable(hostVars.get(name)).map(PyJson::dumps);
  }
}

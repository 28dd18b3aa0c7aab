package dev.plumb.inventory;

import dev.plumb.source.Problems;
import dev.plumb.source.Suggest;
import dev.plumb.source.Value;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Ansible's YAML inventory: {@code all: {hosts: {h: {vars}}, vars: {}, children: {g: {...}}}}. */
final class YamlInventory {
  private static final List<String> GROUP_KEYS = List.of("hosts", "vars", "children");

  private final InventoryBuilder builder;
  private final Problems problems;
  private final Path dir;

  YamlInventory(InventoryBuilder builder, Problems problems, Path dir) {
    this.builder = builder;
    this.problems = problems;
    this.dir = dir;
  }

  void read(Yaml.Doc doc) {
    Value root = doc.value();
    if (root instanceof Value.Null) {
      return;
    }
    if (!(root instanceof Value.Map top)) {
      problems.error(root.mark(), "an inventory must be a mapping of groups, got " + root.kind(),
          "start with 'all:' and put hosts under 'all: {hosts: {name: {}}}'");
      return;
    }
    Map<?, ?> typed = doc.typed() instanceof Map<?, ?> t ? t : Map.of();
    top.entries().forEach((name, body) -> {
      builder.group(name, top.keyMark(name));
      group(name, body, typed.get(name));
    });
  }

  private static Object at(Object typed, String key) {
    return typed instanceof Map<?, ?> m ? m.get(key) : null;
  }

  private void group(String name, Value body, Object typed) {
    if (body instanceof Value.Null) {
      return;
    }
    if (!(body instanceof Value.Map m)) {
      problems.error(body.mark(), "group '" + name + "' must be a mapping with hosts, vars or children, got "
          + body.kind(), "write '" + name + ": {hosts: {host1: {}}}'");
      return;
    }
    m.entries().forEach((key, given) -> {
      Value value = GROUP_KEYS.contains(key) ? singleName(name, key, given) : given;
      Object types = value == given ? at(typed, key) : java.util.Collections.singletonMap(((Value.Scalar) given).text(), null);
      switch (key) {
        case "hosts" -> hosts(name, value, types);
        case "vars" -> vars(value, types, "vars of group '" + name + "'")
            .ifPresent(v -> v.forEach((k, var) -> builder.groupVar(name, k, var, dir, problems)));
        case "children" -> children(name, value, types);
        default -> problems.error(m.keyMark(key), "unknown key '" + key + "' in group '" + name + "'",
            Suggest.didYouMean(key, GROUP_KEYS) + "a group takes: hosts, vars, children");
      }
    });
  }

  /**
   * Ansible reads a string where a mapping belongs ({@code hosts: node1 node2}, a YAML plain
   * scalar over several lines) as a mapping with that one key: one host named "node1 node2".
   * plumb does the same, so the inventory resolves as Ansible resolves it, and says so.
   */
  private Value singleName(String group, String key, Value value) {
    if (!(value instanceof Value.Scalar s)) {
      return value;
    }
    problems.warning(s.mark(), key + " of group '" + group + "' is the string '" + s.text()
        + "', which Ansible (and plumb) read as one name", "write one 'name:' per line, each ending with ':'");
    return new Value.Map(Map.of(s.text(), new Value.Null(s.mark())), Map.of(s.text(), s.mark()), s.mark());
  }

  private void hosts(String group, Value value, Object typed) {
    if (value instanceof Value.Null) {
      return;
    }
    if (!(value instanceof Value.Map m)) {
      problems.error(value.mark(), "hosts of group '" + group + "' must be a mapping of host names, got "
          + value.kind(), "write one 'name:' per host, optionally with its variables");
      return;
    }
    m.entries().forEach((entry, vars) -> {
      java.util.Optional<HostRange.Entry> names = HostRange.entry(entry);
      if (names.isEmpty()) {
        problems.error(m.keyMark(entry), "cannot read the host range '" + entry + "'",
            "write [1:4], [01:10], [a:c] or [0:10:2], with the start before the end");
        return;
      }
      if (names.get().names().isEmpty()) {
        problems.warning(m.keyMark(entry), "the host range '" + entry + "' stands for no host",
            "write the start before the end");
      }
      java.util.Optional<Map<String, InventoryBuilder.Var>> hostVars =
          vars(vars, at(typed, entry), "variables of host '" + entry + "'");
      for (String host : names.get().names()) {
        if (!HostName.check(host, m.keyMark(entry), problems)) {
          continue;
        }
        builder.host(group, host, names.get().port(), m.keyMark(entry));
        hostVars.ifPresent(v -> v.forEach((k, var) -> builder.hostVar(host, k, var, dir)));
      }
    });
  }

  private void children(String parent, Value value, Object typed) {
    if (value instanceof Value.Null) {
      return;
    }
    if (!(value instanceof Value.Map m)) {
      problems.error(value.mark(), "children of group '" + parent + "' must be a mapping of group names, got "
          + value.kind(), "write one 'name:' per child group");
      return;
    }
    m.entries().forEach((child, body) -> {
      builder.group(child, m.keyMark(child));
      group(child, body, at(typed, child));
      builder.child(parent, child, m.keyMark(child));
    });
  }

  /** A variables mapping (null means none); reports anything else. */
  java.util.Optional<Map<String, InventoryBuilder.Var>> vars(Value value, Object typed, String what) {
    if (value instanceof Value.Null) {
      return java.util.Optional.empty();
    }
    if (value instanceof Value.Map m) {
      return java.util.Optional.of(InventoryFiles.zip(m, typed));
    }
    problems.error(value.mark(), what + " must be a mapping, got " + value.kind(), "write 'name: value' lines");
    return java.util.Optional.empty();
  }
}

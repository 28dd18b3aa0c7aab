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

  void read(Value root) {
    if (root instanceof Value.Null) {
      return;
    }
    if (!(root instanceof Value.Map top)) {
      problems.error(root.mark(), "an inventory must be a mapping of groups, got " + root.kind(),
          "start with 'all:' and put hosts under 'all: {hosts: {name: {}}}'");
      return;
    }
    top.entries().forEach((name, body) -> {
      builder.group(name, top.keyMark(name));
      group(name, body);
    });
  }

  private void group(String name, Value body) {
    if (body instanceof Value.Null) {
      return;
    }
    if (!(body instanceof Value.Map m)) {
      problems.error(body.mark(), "group '" + name + "' must be a mapping with hosts, vars or children, got "
          + body.kind(), "write '" + name + ": {hosts: {host1: {}}}'");
      return;
    }
    m.entries().forEach((key, value) -> {
      switch (key) {
        case "hosts" -> hosts(name, value);
        case "vars" -> vars(value, "vars of group '" + name + "'").ifPresent(v -> builder.groupVars(name, v, false, dir));
        case "children" -> children(name, value);
        default -> problems.error(m.keyMark(key), "unknown key '" + key + "' in group '" + name + "'",
            Suggest.didYouMean(key, GROUP_KEYS) + "a group takes: hosts, vars, children");
      }
    });
  }

  private void hosts(String group, Value value) {
    if (value instanceof Value.Null) {
      return;
    }
    if (!(value instanceof Value.Map m)) {
      problems.error(value.mark(), "hosts of group '" + group + "' must be a mapping of host names, got "
          + value.kind(), "write one 'name:' per host, optionally with its variables");
      return;
    }
    m.entries().forEach((entry, vars) -> {
      java.util.Optional<List<String>> names = HostRange.expand(entry);
      if (names.isEmpty()) {
        problems.error(m.keyMark(entry), "cannot read the host range '" + entry + "'",
            "write [1:4], [01:10], [a:c] or [0:10:2], with the start before the end");
        return;
      }
      java.util.Optional<Map<String, Value>> hostVars = vars(vars, "variables of host '" + entry + "'");
      for (String host : names.get()) {
        builder.host(group, host);
        hostVars.ifPresent(v -> builder.hostVars(host, v, false, dir));
      }
    });
  }

  private void children(String parent, Value value) {
    if (value instanceof Value.Null) {
      return;
    }
    if (!(value instanceof Value.Map m)) {
      problems.error(value.mark(), "children of group '" + parent + "' must be a mapping of group names, got "
          + value.kind(), "write one 'name:' per child group");
      return;
    }
    m.entries().forEach((child, body) -> {
      builder.child(parent, child, m.keyMark(child));
      group(child, body);
    });
  }

  /** A variables mapping (null means none); reports anything else. */
  java.util.Optional<Map<String, Value>> vars(Value value, String what) {
    if (value instanceof Value.Null) {
      return java.util.Optional.empty();
    }
    if (value instanceof Value.Map m) {
      return java.util.Optional.of(m.entries());
    }
    problems.error(value.mark(), what + " must be a mapping, got " + value.kind(), "write 'name: value' lines");
    return java.util.Optional.empty();
  }
}

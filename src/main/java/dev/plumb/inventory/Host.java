package dev.plumb.inventory;

import dev.plumb.source.Value;
import java.util.List;
import java.util.Map;

/**
 * One host of the inventory: its name, the groups it is in (outermost first), and its variables
 * merged by precedence (all, then groups from parent to child, then the host's own; group_vars/
 * and host_vars/ files over the inventory's inline vars).
 */
public record Host(String name, List<String> groups, Map<String, Value> vars) {
  public Host {
    groups = List.copyOf(groups);
    vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
  }

  /** A scalar variable as text, if set. */
  public java.util.Optional<String> var(String name) {
    Value v = vars.get(name);
    return v instanceof Value.Scalar s ? java.util.Optional.of(s.text()) : java.util.Optional.empty();
  }
}

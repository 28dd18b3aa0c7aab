package dev.plumb.plan;

import dev.plumb.facts.Fact;
import dev.plumb.modules.Change;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A change placed in a host's ordered plan. A value: it holds data only (no module, no resource),
 * so a plan can be written out, read back and run as it was made ({@link PlanJson}).
 *
 * @param index 1-based position in the host's plan
 * @param id the resource's id, {@code type[name]}
 * @param type the resource type
 * @param handler whether the resource is a handler (runs only when notified)
 * @param declaredAt where the resource was declared, {@code file:line:col}
 * @param timeout the resource's own {@code timeout:} for its commands; zero for the run's default
 * @param change what its diff found, with the exact commands
 * @param dependsOn ids of the steps it must follow (requires, implicit file edges, notifiers)
 * @param notifiedBy for a handler: the ids of the changed steps that notified it
 * @param facts the digest ({@link dev.plumb.facts.FactResult#digest}) of every fact its module
 *     read, as read from the host (not as an earlier step predicts it): a saved plan is stale when
 *     one of them changed
 */
public record Step(
    int index,
    String id,
    String type,
    boolean handler,
    String declaredAt,
    Duration timeout,
    Change change,
    List<String> dependsOn,
    List<String> notifiedBy,
    Map<Fact, String> facts) {
  public Step {
    timeout = timeout == null ? Duration.ZERO : timeout;
    dependsOn = List.copyOf(dependsOn);
    notifiedBy = List.copyOf(notifiedBy);
    facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
  }

  public boolean changes() {
    return change.changes();
  }
}

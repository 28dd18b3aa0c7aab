package dev.plumb.plan;

import dev.plumb.load.Resource;
import dev.plumb.modules.Change;
import java.util.List;

/**
 * A change placed in a host's ordered plan.
 *
 * @param index 1-based position in the host's plan
 * @param resource the resource it converges
 * @param change what its diff found
 * @param dependsOn ids of the steps it must follow (requires, implicit file edges, notifiers)
 * @param notifiedBy for a handler: the ids of the changed steps that notified it
 */
public record Step(int index, Resource resource, Change change, List<String> dependsOn, List<String> notifiedBy) {
  public Step {
    dependsOn = List.copyOf(dependsOn);
    notifiedBy = List.copyOf(notifiedBy);
  }

  public String id() {
    return resource.id();
  }

  public boolean changes() {
    return change.changes();
  }
}

package dev.plumb.plan;

import dev.plumb.source.Problem;
import java.util.List;

/**
 * The ordered plan of one host. A value (see {@link Step}): {@link PlanJson} writes it and reads it
 * back to an equal plan.
 *
 * @param host the host's inventory name
 * @param steps every resource in order, converged ones included (action none)
 * @param problems lint findings made with the host's facts; an error blocks the host
 * @param rebootPending the running system differs from its next boot once the plan is applied
 * @param rebootPlanned the plan ends with a reboot barrier (policy if-needed and a reboot is due)
 */
public record HostPlan(String host, List<Step> steps, List<Problem> problems, boolean rebootPending, boolean rebootPlanned) {
  public HostPlan {
    steps = List.copyOf(steps);
    problems = List.copyOf(problems);
  }

  /** The steps that change something. */
  public List<Step> changes() {
    return steps.stream().filter(Step::changes).toList();
  }

  public boolean hasChanges() {
    return rebootPlanned || steps.stream().anyMatch(Step::changes);
  }

  public boolean blocked() {
    return problems.stream().anyMatch(Problem::isError)
        || steps.stream().anyMatch(s -> !s.change().blockers().isEmpty());
  }

  /** How many commands apply would run (the reboot counts as one). */
  public int commandCount() {
    return steps.stream().mapToInt(s -> s.change().commands().size()).sum() + (rebootPlanned ? 1 : 0);
  }
}

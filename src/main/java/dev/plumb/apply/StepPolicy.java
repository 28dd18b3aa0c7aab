package dev.plumb.apply;

import dev.plumb.plan.HostPlan;
import dev.plumb.plan.Step;
import java.util.Optional;

/**
 * Which planned changes apply makes. The default makes all of them; {@code apply --only drift}
 * leaves every change that is not drift, with the reason shown to the operator.
 */
@FunctionalInterface
public interface StepPolicy {
  /** Empty to make the change; otherwise why it is left (shown as the step's result). */
  Optional<String> leave(String host, HostPlan plan, Step step);

  /** Every planned change is made. */
  StepPolicy ALL = (host, plan, step) -> Optional.empty();
}

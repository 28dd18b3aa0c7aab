package dev.plumb.apply;

import dev.plumb.plan.HostPlan;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a run on one host.
 *
 * @param host the host's name
 * @param outcome the verdict
 * @param plan its plan (empty when the host was unreachable before facts were read)
 * @param steps what apply did, step by step (empty for plan and check)
 * @param problems messages: the unreachable reason, resources that did not converge, lint errors
 * @param execs exec channels opened on the host (facts are one)
 * @param rebooted whether apply rebooted it
 * @param seconds wall time spent on this host
 * @param facts the facts the plan was made from (for the ledger); empty when none were read
 * @param afterReboot apply only: the plan made again from the facts read after the reboot
 */
public record HostResult(
    String host,
    Outcome outcome,
    Optional<HostPlan> plan,
    List<StepResult> steps,
    List<String> problems,
    int execs,
    boolean rebooted,
    double seconds,
    Optional<dev.plumb.facts.FactSet> facts,
    Optional<HostPlan> afterReboot) {

  public HostResult {
    steps = List.copyOf(steps);
    problems = List.copyOf(problems);
  }

  /** The verdict for a host, worst last. */
  public enum Outcome {
    /** Nothing to change. */
    CONVERGED,
    /** plan/check: changes are due. apply: changes were made and verified. */
    CHANGED,
    /** A step failed, was blocked, or a resource did not converge. */
    FAILED,
    /** The host could not be reached. */
    UNREACHABLE;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The same result with the facts it was planned from. */
  HostResult withFacts(dev.plumb.facts.FactSet read) {
    return new HostResult(host, outcome, plan, steps, problems, execs, rebooted, seconds, Optional.of(read), afterReboot);
  }

  /** Whether the host still needs a reboot for its state to be live. */
  public boolean rebootPending() {
    if (rebooted) {
      return afterReboot.map(p -> p.steps().stream().anyMatch(s -> s.changes()
          && s.change().takesEffect() instanceof dev.plumb.modules.TakesEffect.AfterReboot)).orElse(false);
    }
    return plan.map(HostPlan::rebootPending).orElse(false);
  }
}

package dev.plumb.apply;

import dev.plumb.facts.FactSet;
import dev.plumb.plan.HostPlan;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of a run on one host.
 *
 * @param host the host's name
 * @param outcome the verdict
 * @param plan its plan (empty when the host was unreachable before facts were read)
 * @param steps what apply did with the plan's steps (empty for plan and check)
 * @param problems messages: the unreachable reason, resources that did not converge, lint errors
 * @param execs exec channels opened on the host (facts are one)
 * @param rebooted whether apply rebooted it
 * @param seconds wall time spent on this host
 * @param facts the facts the plan was made from (for the ledger); empty when none were read
 * @param afterReboot apply only: the plan made again from the facts read after the reboot
 * @param afterRebootSteps what apply did with that second plan's steps
 * @param rebootPending the host still needs a reboot for its state to be live: from the plan for
 *     plan and check, from the facts re-read at the end for apply
 * @param leasedBy who held the host's lease: for a {@code LOCKED} apply, the run that kept this one
 *     out; for plan and check, an apply in progress while the facts were read; empty when nobody
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
    Optional<FactSet> facts,
    Optional<HostPlan> afterReboot,
    List<StepResult> afterRebootSteps,
    boolean rebootPending,
    Optional<String> leasedBy) {

  public HostResult {
    steps = List.copyOf(steps);
    problems = List.copyOf(problems);
    afterRebootSteps = List.copyOf(afterRebootSteps);
  }

  /** The verdict for a host, worst last. */
  public enum Outcome {
    /** Nothing to change. */
    CONVERGED,
    /** plan/check: changes are due. apply: changes were made and verified. */
    CHANGED,
    /** apply: another run holds the host's lease; this run left the host alone. */
    LOCKED,
    /** A step failed, was blocked, or a resource did not converge. */
    FAILED,
    /** The host could not be reached. */
    UNREACHABLE;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A host that ended before it had a plan: unreachable, or its facts could not be read. */
  static HostResult withoutPlan(String host, Outcome outcome, String problem, int execs, double seconds) {
    return new HostResult(host, outcome, Optional.empty(), List.of(), List.of(problem), execs, false, seconds,
        Optional.empty(), Optional.empty(), List.of(), false, Optional.empty());
  }

  /** apply: another run holds the lease; nothing was done on the host. */
  static HostResult locked(String host, String holder, HostPlan plan, int execs, double seconds) {
    return new HostResult(host, Outcome.LOCKED, Optional.of(plan), List.of(),
        List.of("locked: an apply is in progress by " + holder + "; this run left the host alone"), execs, false, seconds,
        Optional.empty(), Optional.empty(), List.of(), plan.rebootPending(), Optional.of(holder));
  }

  /** plan and check: the verdict on a plan. */
  static HostResult planned(String host, Outcome outcome, HostPlan plan, List<String> problems, int execs, double seconds) {
    return new HostResult(host, outcome, Optional.of(plan), List.of(), problems, execs, false, seconds,
        Optional.empty(), Optional.empty(), List.of(), plan.rebootPending(), Optional.empty());
  }

  /** The same result with the facts it was planned from. */
  HostResult withFacts(FactSet read) {
    return new HostResult(host, outcome, plan, steps, problems, execs, rebooted, seconds, Optional.of(read), afterReboot,
        afterRebootSteps, rebootPending, leasedBy);
  }

  /** The same result, noting an apply in progress seen while reading the facts (plan, check). */
  HostResult withLeasedBy(Optional<String> holder) {
    return new HostResult(host, outcome, plan, steps, problems, execs, rebooted, seconds, facts, afterReboot,
        afterRebootSteps, rebootPending, holder);
  }
}

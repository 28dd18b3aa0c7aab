package dev.plumb.apply;

import dev.plumb.apply.StepResult.Status;
import dev.plumb.plan.DueHandlers;
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.Step;
import dev.plumb.transport.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What running one plan's steps did, and the code that runs them: in plan order, a failed step
 * skips only the steps that depend on it, a lost connection leaves every later step not run (its
 * state unknown), and before a planned reboot a blocked step and its dependents wait for it.
 *
 * @param results what happened to each step that changes something or is blocked, in plan order
 * @param commandsRun how many commands ran
 * @param connectionLost the connection broke during the phase: the host's state is unknown
 */
record Phase(Map<String, StepResult> results, int commandsRun, boolean connectionLost) {
  Phase {
    results = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(results));
  }

  boolean failed() {
    return results.values().stream().anyMatch(r -> r.status().failed());
  }

  List<String> failures() {
    return results.values().stream().filter(r -> r.status().failed())
        .map(r -> r.id() + " " + r.status().word() + ": " + r.message()).toList();
  }

  /**
   * Runs a plan's steps in order. With {@code deferBlocked} (a reboot barrier follows), a blocked
   * step and its dependents wait for the reboot instead of failing the host.
   */
  static Phase run(HostPlan plan, Connection connection, StepExecutor executor, boolean deferBlocked) {
    return run(plan, connection, executor, deferBlocked, step -> Optional.empty());
  }

  /**
   * The same, leaving the steps {@code leave} names (with its reason) and the steps that depend on
   * them: they wait, as a group, for a run allowed to make them.
   */
  static Phase run(HostPlan plan, Connection connection, StepExecutor executor, boolean deferBlocked,
      java.util.function.Function<Step, Optional<String>> leave) {
    Map<String, StepResult> results = new LinkedHashMap<>();
    boolean connectionLost = false;
    int commandsRun = 0;
    for (Step step : plan.steps()) {
      if (!step.changes() && step.change().blockers().isEmpty()) {
        continue;
      }
      StepResult result;
      Optional<String> deferral = deferBlocked ? deferral(step, results) : Optional.empty();
      Optional<String> skip = skipReason(step, results);
      Optional<String> left = step.changes() ? leave.apply(step).or(() -> waitsFor(step, results)) : Optional.empty();
      if (left.isPresent() && !connectionLost) {
        result = new StepResult(step.id(), Status.WAITING, left.get(), 0);
      } else if (connectionLost) {
        result = new StepResult(step.id(), Status.SKIPPED, "not run: the connection to the host was lost, its state is unknown", 0);
      } else if (deferral.isPresent()) {
        result = new StepResult(step.id(), Status.DEFERRED, deferral.get(), 0);
      } else if (skip.isPresent()) {
        result = new StepResult(step.id(), Status.SKIPPED, skip.get(), 0);
      } else if (!step.change().blockers().isEmpty()) {
        result = new StepResult(step.id(), Status.BLOCKED, String.join("; ", step.change().blockers()), 0);
      } else if (step.change().commands().isEmpty()) {
        result = new StepResult(step.id(), Status.CHANGED, "", 0);
      } else {
        StepExecutor.Outcome outcome = executor.execute(step, connection);
        connectionLost = outcome.status() == StepExecutor.Status.CONNECTION_LOST;
        result = new StepResult(step.id(), outcome.status() == StepExecutor.Status.OK ? Status.CHANGED : Status.FAILED,
            outcome.message(), outcome.commandsRun());
        KillSwitch.boundary();
      }
      commandsRun += result.commandsRun();
      results.put(step.id(), result);
    }
    return new Phase(results, commandsRun, connectionLost);
  }

  /** A step that requires a waiting one waits with it (a handler runs when any notifier ran). */
  private static Optional<String> waitsFor(Step step, Map<String, StepResult> results) {
    boolean anyNotifierRan = step.notifiedBy().contains(DueHandlers.EARLIER_RUN)
        || step.notifiedBy().stream().map(results::get).anyMatch(r -> r != null && r.status() != Status.WAITING);
    for (String dep : step.dependsOn()) {
      StepResult r = results.get(dep);
      boolean notifier = step.notifiedBy().contains(dep);
      if (r != null && r.status() == Status.WAITING && (!notifier || !anyNotifierRan)) {
        return Optional.of("waits with " + dep + " (" + r.message() + ")");
      }
    }
    return Optional.empty();
  }

  /** Ids of the steps left waiting. */
  java.util.Set<String> waiting() {
    java.util.Set<String> ids = new java.util.LinkedHashSet<>();
    results.values().stream().filter(r -> r.status() == Status.WAITING).forEach(r -> ids.add(r.id()));
    return ids;
  }

  private static Optional<String> deferral(Step step, Map<String, StepResult> results) {
    if (!step.change().blockers().isEmpty()) {
      return Optional.of("blocked until the reboot (" + String.join("; ", step.change().blockers())
          + "); planned again after it");
    }
    // A handler whose notifiers all wait for the reboot waits with them: it is planned again
    // after it, notified by whichever of them then changes. One that an earlier run left due
    // runs now (an initramfs owed from before must be rebuilt before this reboot).
    List<StepResult> notifiers = step.notifiedBy().stream().map(results::get).toList();
    if (!step.notifiedBy().contains(DueHandlers.EARLIER_RUN)
        && notifiers.stream().anyMatch(r -> r != null && r.status() == Status.DEFERRED)
        && notifiers.stream().allMatch(r -> r != null && (r.status() == Status.DEFERRED || r.status() == Status.SKIPPED
            || r.status().failed()))) {
      return Optional.of("every resource that notified it waits for the reboot; planned again after it");
    }
    for (String dep : step.dependsOn()) {
      StepResult r = results.get(dep);
      if (r != null && r.status() == Status.DEFERRED && !step.notifiedBy().contains(dep)) {
        return Optional.of("waits for " + dep + ", planned again after the reboot");
      }
    }
    return Optional.empty();
  }

  /** A step is skipped when something it requires failed, or when every notifier of a handler failed. */
  private static Optional<String> skipReason(Step step, Map<String, StepResult> results) {
    for (String dep : step.dependsOn()) {
      StepResult r = results.get(dep);
      boolean notifier = step.notifiedBy().contains(dep);
      if (r != null && (r.status().failed() || r.status() == Status.SKIPPED) && !notifier) {
        return Optional.of("requires " + dep + ", which " + (r.status() == Status.SKIPPED ? "was skipped" : "failed"));
      }
    }
    if (!step.notifiedBy().isEmpty() && !step.notifiedBy().contains(DueHandlers.EARLIER_RUN)
        && step.notifiedBy().stream().map(results::get).allMatch(r -> r != null && (r.status().failed() || r.status() == Status.SKIPPED))) {
      return Optional.of("every resource that notified it failed");
    }
    return Optional.empty();
  }
}

package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.apply.StepResult;
import dev.plumb.drift.DriftClass;
import dev.plumb.plan.Step;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How many of a host's differences are drift and how many wait for a rollout (unknown counted with
 * rollout), after the run: a change apply made is no longer pending. Handlers are not counted.
 */
record DriftCounts(int drift, int rollout) {

  static DriftCounts of(HostResult h, RunReport report) {
    if (h.plan().isEmpty()) {
      return new DriftCounts(0, 0);
    }
    Set<String> made = h.steps().stream().filter(r -> r.status() == StepResult.Status.CHANGED)
        .map(StepResult::id).collect(Collectors.toSet());
    h.afterRebootSteps().stream().filter(r -> r.status() == StepResult.Status.CHANGED).forEach(r -> made.add(r.id()));
    boolean verified = h.outcome() == HostResult.Outcome.CHANGED && report.mode() == dev.plumb.apply.Mode.APPLY;
    int drift = 0;
    int rollout = 0;
    for (Step s : h.plan().get().changes()) {
      if (s.handler() || made.contains(s.id())) {
        continue;
      }
      boolean waiting = h.steps().stream().anyMatch(r -> r.id().equals(s.id()) && r.status() == StepResult.Status.WAITING);
      if (verified && !waiting) {
        continue;
      }
      if (report.classOf(h.host(), s.id()) == DriftClass.DRIFT) {
        drift++;
      } else {
        rollout++;
      }
    }
    return new DriftCounts(drift, rollout);
  }
}

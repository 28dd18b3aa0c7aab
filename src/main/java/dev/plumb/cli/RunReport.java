package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.apply.HostResult.Outcome;
import dev.plumb.apply.Mode;
import dev.plumb.drift.DriftClass;
import dev.plumb.modules.Action;
import dev.plumb.plan.Step;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a run produced, as the renderers see it: they only read it.
 *
 * @param mode plan, check or apply
 * @param playbook the playbook as the user named it
 * @param hosts one result per host, in inventory order
 * @param seconds wall time of the whole run
 * @param classes per host, the drift class of each changing step (absent: unknown)
 */
record RunReport(Mode mode, String playbook, List<HostResult> hosts, double seconds,
    Map<String, Map<String, DriftClass>> classes) {

  RunReport {
    classes = Map.copyOf(classes);
  }

  /** A report whose changes are all of unknown class (no ledger to judge them by). */
  RunReport(Mode mode, String playbook, List<HostResult> hosts, double seconds) {
    this(mode, playbook, hosts, seconds, Map.of());
  }

  /** The classes of a host's changing steps, by step id (empty: none known). */
  Map<String, DriftClass> classesOf(String host) {
    return classes.getOrDefault(host, Map.of());
  }

  /** The class of a changing step of a host: drift, rollout, or unknown (never recorded). */
  DriftClass classOf(String host, String stepId) {
    return classes.getOrDefault(host, Map.of()).getOrDefault(stepId, DriftClass.UNKNOWN);
  }

  String verb() {
    return mode.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Counts of changed steps by action over all hosts. */
  Map<Action, Integer> actionCounts() {
    Map<Action, Integer> counts = new EnumMap<>(Action.class);
    for (HostResult h : hosts) {
      h.plan().ifPresent(p -> p.steps().stream().filter(Step::changes)
          .forEach(s -> counts.merge(s.change().action(), 1, Integer::sum)));
    }
    return counts;
  }

  long count(Outcome outcome) {
    return hosts.stream().filter(h -> h.outcome() == outcome).count();
  }

  long rebootsPending() {
    return hosts.stream().filter(HostResult::rebootPending).count();
  }

  /**
   * The exit code: 1 is for bad input and never comes from here; 3 when a host failed, was
   * unreachable or locked by another apply; 2 for drift (check) or changes (plan with --detailed-exitcode); else 0.
   */
  int exitCode(boolean detailedExitCode) {
    if (count(Outcome.FAILED) + count(Outcome.UNREACHABLE) + count(Outcome.LOCKED) > 0) {
      return 3;
    }
    boolean changes = count(Outcome.CHANGED) > 0;
    return switch (mode) {
      case CHECK -> changes ? 2 : 0;
      case PLAN -> changes && detailedExitCode ? 2 : 0;
      case APPLY -> 0;
    };
  }
}

package dev.plumb.apply;

import dev.plumb.facts.FactSet;
import dev.plumb.load.HostCatalog;
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.Planner;
import dev.plumb.plan.RebootPolicy;

/**
 * Where a host's plan comes from once its facts are read: planned now (the default), or taken from
 * a saved plan, which may refuse the host when the facts it was made from have moved.
 */
@FunctionalInterface
public interface PlanSource {

  /** A plan to run, or why the host is refused. */
  sealed interface Decision {}

  /** Run this plan. */
  record Run(HostPlan plan) implements Decision {}

  /** Do not touch the host; {@code reason} says why and what to do. */
  record Refuse(String reason) implements Decision {}

  Decision plan(HostCatalog catalog, FactSet facts, RebootPolicy reboot);

  /**
   * The plans of {@code source}, remembered per host: the same catalog with equal facts and reboot
   * policy gets its last decision again ({@link RememberedPlans}). For sources that, like
   * {@link #planning}, decide from the catalog and facts alone.
   */
  static PlanSource remembering(PlanSource source) {
    return new RememberedPlans(source);
  }

  /** Plans from the facts now. */
  static PlanSource planning(Planner planner) {
    return (catalog, facts, reboot) -> new Run(planner.plan(catalog, facts, reboot));
  }
}

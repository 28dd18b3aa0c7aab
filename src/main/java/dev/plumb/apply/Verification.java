package dev.plumb.apply;

import dev.plumb.facts.FactSet;
import dev.plumb.load.HostCatalog;
import dev.plumb.modules.Label;
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.Planner;
import dev.plumb.plan.RebootPolicy;
import dev.plumb.plan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the facts re-read after apply say (Terraform's consistency check): every resource that did
 * not converge, by name, and what still waits for a reboot that should already have happened.
 *
 * @param problems one line per resource that did not converge, and one for a reboot that did not
 *     make the running state live; empty when the host converged
 * @param rebootPending the host still needs a reboot for its state to be live
 * @param rebootTook what a reboot done in this run was to make live is live (true when there was
 *     none); false when the facts could not be read
 */
record Verification(List<String> problems, boolean rebootPending, boolean rebootTook) {
  Verification {
    problems = List.copyOf(problems);
  }

  boolean converged() {
    return problems.isEmpty();
  }

  /**
   * Verifies {@code catalog} against facts read after apply. Pure: the caller reads the facts.
   *
   * @param mustBeLive ids of resources whose running state a reboot done in this run should have
   *     made live; empty when there was no reboot
   */
  static Verification of(Planner planner, HostCatalog catalog, FactSet after, Set<String> mustBeLive) {
    return of(planner, catalog, after, mustBeLive, Set.of());
  }

  /** The same, not counting {@code left}: the changes this run's policy left on purpose. */
  static Verification of(Planner planner, HostCatalog catalog, FactSet after, Set<String> mustBeLive, Set<String> left) {
    HostPlan check = planner.plan(catalog, after, RebootPolicy.NEVER);
    List<String> problems = new ArrayList<>();
    for (Step s : check.steps()) {
      if (s.changes() && s.change().label() != Label.OPAQUE && !left.contains(s.id())) {
        problems.add(s.id() + " did not converge: still " + s.change().before() + ", wanted " + s.change().after());
      }
    }
    List<String> stillPending = check.steps().stream()
        .filter(s -> s.change().rebootPending() && mustBeLive.contains(s.id()))
        .flatMap(s -> s.change().notes().isEmpty() ? Stream.of(s.id())
            : s.change().notes().stream().map(n -> s.id() + ": " + n)).toList();
    if (!stillPending.isEmpty()) {
      problems.add("after one reboot the running state still differs from the next boot; not rebooting again: "
          + String.join("; ", stillPending));
    }
    return new Verification(problems, check.rebootPending(), stillPending.isEmpty());
  }

  /** The facts could not be re-read: nothing is known to have converged. */
  static Verification unreadable(String why) {
    return new Verification(List.of("could not re-read facts to verify the result: " + why), true, false);
  }
}

package dev.plumb.apply;

import static dev.plumb.apply.TestHost.FILE;
import static dev.plumb.apply.TestHost.catalog;
import static dev.plumb.apply.TestHost.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.load.HostCatalog;
import dev.plumb.plan.Planner;
import dev.plumb.plan.RebootPolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RememberedPlansTest {
  private static final Fact CONF = new Fact.File("/etc/x.conf");
  private final Planner planner = new Planner(List.of());
  private final AtomicInteger planned = new AtomicInteger();
  private final PlanSource counting = (catalog, facts, reboot) -> {
    planned.incrementAndGet();
    return PlanSource.planning(planner).plan(catalog, facts, reboot);
  };
  private final PlanSource remembering = PlanSource.remembering(counting);

  private static FactSet facts(String content) {
    // A fresh array each time: equal facts, never the same object.
    return FactSet.of(Map.of(CONF, new FactResult.Content(content.getBytes(StandardCharsets.UTF_8))));
  }

  /** A host catalog declaring /etc/x.conf with content "a\n" (a new object each call). */
  private static HostCatalog declaringA() {
    return catalog(resource(0, FILE, Map.of("path", "/etc/x.conf", "content", "a\n")));
  }

  @Test
  void plan_sameCatalogEqualFacts_plansOnce_andReturnsThatPlan() {
    HostCatalog c = declaringA();
    PlanSource.Decision first = remembering.plan(c, facts("b\n"), RebootPolicy.NEVER);
    PlanSource.Decision second = remembering.plan(c, facts("b\n"), RebootPolicy.NEVER);
    assertThat(planned).hasValue(1);
    assertThat(second).isSameAs(first);
    assertThat(second).isEqualTo(PlanSource.planning(planner).plan(c, facts("b\n"), RebootPolicy.NEVER));
  }

  @Test
  void plan_factChanged_plansAgain_fromTheNewFacts() {
    HostCatalog c = declaringA();
    PlanSource.Decision drifted = remembering.plan(c, facts("b\n"), RebootPolicy.NEVER);
    PlanSource.Decision converged = remembering.plan(c, facts("a\n"), RebootPolicy.NEVER);
    assertThat(planned).hasValue(2);
    assertThat(((PlanSource.Run) drifted).plan().hasChanges()).isTrue();
    assertThat(((PlanSource.Run) converged).plan().hasChanges()).isFalse();
  }

  @Test
  void plan_otherRebootPolicyOrOtherCatalog_plansAgain() {
    HostCatalog c = declaringA();
    HostCatalog equalButReloaded = declaringA();
    remembering.plan(c, facts("b\n"), RebootPolicy.NEVER);
    remembering.plan(c, facts("b\n"), RebootPolicy.IF_NEEDED);
    remembering.plan(equalButReloaded, facts("b\n"), RebootPolicy.IF_NEEDED);
    assertThat(planned).hasValue(3);
  }
}

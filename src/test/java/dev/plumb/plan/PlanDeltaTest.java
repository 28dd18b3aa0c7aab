package dev.plumb.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.FactResult;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the work tree's plan does differently from the ref's, on the same facts. */
class PlanDeltaTest {
  private static final String VFIO = "/etc/modprobe.d/vfio.conf";

  private static HostPlan plan(Change change) {
    return new HostPlan("h", List.of(new Step(0, "pci_passthrough[gpu]", "pci_passthrough", false, "play.yml:3:5",
        Duration.ZERO, change, List.of(), List.of(), Map.of())), List.of(), false, false);
  }

  private static Change writing(String ids) {
    return Change.of(Action.CREATE, "absent", "bound", List.of(Command.of("plumb-write", VFIO, ids)))
        .withWrite(VFIO, FactResult.content("options vfio-pci ids=" + ids + "\n"));
  }

  @Test
  void between_aChangeTheWorkTreeBlocksAndNoLongerWrites_showsTheBlockerBesideTheFileDiff() {
    Change atRef = writing("10de:1b80");
    Change now = Change.of(Action.UPDATE, "no matching device", "bound", List.of()).withBlocker("no PCI device 10de:1e04");

    List<PlanDelta.StepDelta> deltas = PlanDelta.between(plan(atRef), plan(now));

    assertThat(deltas).singleElement().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(PlanDelta.Kind.ALTERED);
      assertThat(d.difference()).contains("-options vfio-pci ids=10de:1b80", "+blocked: no PCI device 10de:1e04");
    });
  }

  @Test
  void between_aChangedFileWithTheSameBlockers_showsOnlyTheFileDiff() {
    List<PlanDelta.StepDelta> deltas = PlanDelta.between(plan(writing("10de:1b80")), plan(writing("10de:1e04")));

    assertThat(deltas).singleElement().satisfies(d -> assertThat(d.difference())
        .isEqualTo("--- " + VFIO + "\n+++ " + VFIO + "\n@@ -1 +1 @@\n-options vfio-pci ids=10de:1b80\n+options vfio-pci ids=10de:1e04\n"));
  }
}

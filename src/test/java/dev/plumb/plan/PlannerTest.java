package dev.plumb.plan;

import static dev.plumb.plan.TestResources.APPEND;
import static dev.plumb.plan.TestResources.FILE;
import static dev.plumb.plan.TestResources.APPEND_THEN_REBUILD;
import static dev.plumb.plan.TestResources.READ;
import static dev.plumb.plan.TestResources.RESTART;
import static dev.plumb.plan.TestResources.host;
import static dev.plumb.plan.TestResources.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.load.HostCatalog;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.modules.Label;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private final Planner planner = new Planner(List.of());

  private static FactSet facts(HostCatalog catalog, Map<String, String> files) {
    Map<Fact, FactResult> read = new LinkedHashMap<>();
    for (Fact f : new Planner(List.of()).factsNeeded(catalog)) {
      if (f instanceof Fact.File file) {
        String text = files.get(file.path());
        read.put(f, text == null ? new FactResult.Missing() : FactResult.content(text));
      }
    }
    return FactSet.of(read);
  }

  @Test
  void plan_laterResourceReadingAWrittenFile_isPredictedFromTheWrite() {
    HostCatalog catalog = host(
        resource(0, FILE, Map.of("path", "/etc/x", "content", "a\n"), List.of(), List.of(), false),
        resource(1, APPEND, Map.of("path", "/etc/x", "line", "b"), List.of(), List.of(), false));
    HostPlan plan = planner.plan(catalog, facts(catalog, Map.of("/etc/x", "old\n")), RebootPolicy.NEVER);

    assertThat(plan.steps()).extracting(Step::id).containsExactly("tfile[/etc/x]", "tappend[b]");
    Step append = plan.steps().get(1);
    assertThat(append.change().label()).isEqualTo(Label.PREDICTED);
    assertThat(append.change().writes().get("/etc/x")).isEqualTo(FactResult.content("a\nb\n"));
    // The second write is guarded by the checksum of what the first one leaves.
    assertThat(append.change().commands().get(0).argv()).contains(FactResult.sha256("a\n".getBytes()));
  }

  @Test
  void plan_readerDeclaredBeforeWriter_isOrderedAfterIt() {
    HostCatalog catalog = host(
        resource(0, READ, Map.of("path", "/etc/y", "line", "b"), List.of(), List.of(), false),
        resource(1, FILE, Map.of("path", "/etc/y", "content", "b\n"), List.of(), List.of(), false));
    HostPlan plan = planner.plan(catalog, facts(catalog, Map.of("/etc/y", "old\n")), RebootPolicy.NEVER);
    assertThat(plan.steps()).extracting(Step::id).containsExactly("tfile[/etc/y]", "tread[b]");
    // Ordered after the write, the reader is planned against what the writer leaves.
    assertThat(plan.steps().get(1).change().before()).isEqualTo("has the line");
  }

  @Test
  void plan_resourcesSharingNoFile_keepTheirDeclarationOrder() {
    HostCatalog catalog = host(
        resource(0, APPEND, Map.of("path", "/etc/y", "line", "b"), List.of(), List.of(), false),
        resource(1, FILE, Map.of("path", "/etc/z", "content", "z"), List.of(), List.of(), false));
    HostPlan plan = planner.plan(catalog, facts(catalog, Map.of()), RebootPolicy.NEVER);
    assertThat(plan.steps()).extracting(Step::id).containsExactly("tappend[b]", "tfile[/etc/z]");
  }

  @Test
  void plan_handler_runsOnlyWhenANotifierChanges() {
    HostCatalog catalog = host(
        resource(0, FILE, Map.of("path", "/etc/a", "content", "a"), List.of(), List.of("trestart[nova]"), false),
        resource(1, RESTART, Map.of("unit", "nova"), List.of(), List.of(), true));

    HostPlan changed = planner.plan(catalog, facts(catalog, Map.of("/etc/a", "old")), RebootPolicy.NEVER);
    assertThat(changed.steps()).extracting(Step::id).containsExactly("tfile[/etc/a]", "trestart[nova]");
    assertThat(changed.steps().get(1).change().action()).isEqualTo(Action.RESTART);
    assertThat(changed.steps().get(1).notifiedBy()).containsExactly("tfile[/etc/a]");

    HostPlan converged = planner.plan(catalog, facts(catalog, Map.of("/etc/a", "a")), RebootPolicy.NEVER);
    assertThat(converged.steps()).extracting(Step::id).containsExactly("tfile[/etc/a]");
    assertThat(converged.hasChanges()).isFalse();
    assertThat(converged.commandCount()).isZero();
  }

  @Test
  void plan_restartOutsideHandlers_isAnOpaqueRunEveryTime() {
    HostCatalog catalog = host(resource(0, RESTART, Map.of("unit", "nova"), List.of(), List.of(), false));
    Step step = planner.plan(catalog, facts(catalog, Map.of()), RebootPolicy.NEVER).steps().get(0);
    assertThat(step.change().action()).isEqualTo(Action.RUN);
    assertThat(step.change().label()).isEqualTo(Label.OPAQUE);
    assertThat(step.change().commands()).hasSize(1);
  }

  @Test
  void plan_changeTakingEffectAfterReboot_isABarrierOnlyWhenAllowed() {
    HostCatalog catalog = host(resource(0, FILE, Map.of("path", "/etc/default/grub", "content", "x", "reboot", "true"),
        List.of(), List.of(), false));
    FactSet facts = facts(catalog, Map.of());
    HostPlan never = planner.plan(catalog, facts, RebootPolicy.NEVER);
    assertThat(never.rebootPending()).isTrue();
    assertThat(never.rebootPlanned()).isFalse();
    HostPlan ifNeeded = planner.plan(catalog, facts, RebootPolicy.IF_NEEDED);
    assertThat(ifNeeded.rebootPlanned()).isTrue();
    assertThat(ifNeeded.commandCount()).isEqualTo(2);
  }

  @Test
  void plan_moduleDeclaredTypeOrder_putsCudaAfterTheDriverWhateverTheDeclarationOrder() {
    var registry = dev.plumb.cli.Builtins.registry();
    var cudaModule = registry.find("cuda_toolkit").orElseThrow();
    var driverModule = registry.find("nvidia_driver").orElseThrow();
    var cuda = new dev.plumb.load.Resource("cuda_toolkit[8.0.27]", "8.0.27", cudaModule,
        dev.plumb.modules.Params.of(Map.of("version", "8.0.27"), cudaModule.params()), List.of(), List.of(),
        java.util.Set.of(), false, new dev.plumb.source.Mark("p.yml", 1, 1), 0);
    var driver = new dev.plumb.load.Resource("nvidia_driver[367.35]", "367.35", driverModule,
        dev.plumb.modules.Params.of(Map.of("version", "367.35"), driverModule.params()), List.of(), List.of(),
        java.util.Set.of(), false, new dev.plumb.source.Mark("p.yml", 2, 1), 1);
    assertThat(DependencyGraph.of(List.of(cuda, driver)).order()).containsExactly(driver, cuda);
  }

  @Test
  void factsNeeded_sameFileForTwoResources_isReadOnce() {
    HostCatalog catalog = host(
        resource(0, FILE, Map.of("path", "/etc/x", "content", "a"), List.of(), List.of(), false),
        resource(1, APPEND, Map.of("path", "/etc/x", "line", "b"), List.of(), List.of(), false));
    assertThat(planner.factsNeeded(catalog)).containsExactly(Planner.BOOT_ID, Fact.file("/etc/x"));
  }

  @Test
  void plan_sameInput_givesTheSamePlan() {
    HostCatalog catalog = host(
        resource(0, FILE, Map.of("path", "/etc/x", "content", "a"), List.of(), List.of(), false),
        resource(1, APPEND, Map.of("path", "/etc/x", "line", "b"), List.of(), List.of(), false));
    FactSet facts = facts(catalog, Map.of());
    assertThat(planner.plan(catalog, facts, RebootPolicy.NEVER)).isEqualTo(planner.plan(catalog, facts, RebootPolicy.NEVER));
  }

  @Test
  void plan_steps_carryTheDigestsOfTheFactsAsReadNotAsPredicted() {
    HostCatalog catalog = host(
        resource(0, FILE, Map.of("path", "/etc/x", "content", "a\n"), List.of(), List.of(), false),
        resource(1, APPEND, Map.of("path", "/etc/x", "line", "b"), List.of(), List.of(), false));
    HostPlan plan = planner.plan(catalog, facts(catalog, Map.of("/etc/x", "old\n")), RebootPolicy.NEVER);
    String read = "sha256:" + FactResult.sha256("old\n".getBytes());
    assertThat(plan.steps().get(0).facts()).containsExactly(Map.entry(Fact.file("/etc/x"), read));
    // The second step was planned against the first one's write, but a saved plan is checked
    // against the host: the digest is of what the host had.
    assertThat(plan.steps().get(1).facts()).containsExactly(Map.entry(Fact.file("/etc/x"), read));
  }

  @Test
  void plan_madeFromFacts_roundTripsThroughItsJson() {
    HostCatalog catalog = host(
        resource(0, FILE, Map.of("path", "/etc/a", "content", "a\n", "reboot", "true"), List.of(), List.of("trestart[nova]"), false),
        resource(1, APPEND, Map.of("path", "/etc/a", "line", "b"), List.of(), List.of(), false),
        resource(2, RESTART, Map.of("unit", "nova"), List.of(), List.of(), true));
    HostPlan plan = planner.plan(catalog, facts(catalog, Map.of("/etc/a", "old\n")), RebootPolicy.IF_NEEDED);
    assertThat(plan.changes()).hasSize(3);
    assertThat(PlanJson.parse(PlanJson.render(plan))).isEqualTo(plan);
  }

  private static Step step(int index, String id, List<String> dependsOn, Change change) {
    return new Step(index, id, "t", false, "play.yml:" + index + ":3", java.time.Duration.ZERO, change, dependsOn, List.of(), Map.of());
  }

  private static Change editThenUpdateGrub(String file) {
    return Change.of(Action.UPDATE, "old", "new", List.of(Command.of("edit", file), Command.rebuild("update-grub")));
  }

  @Test
  void coalesceRebuilds_twoStepsEditingGrubsInputs_updateGrubRunsOnceInTheLast() {
    List<Step> steps = Planner.coalesceRebuilds(List.of(
        step(1, "kernel_cmdline[iommu]", List.of(), editThenUpdateGrub("/etc/default/grub")),
        step(2, "file[motd]", List.of(), Change.of(Action.UPDATE, "a", "b", List.of(Command.of("edit", "/etc/motd")))),
        step(3, "pci_passthrough[gpu]", List.of("kernel_cmdline[iommu]"), editThenUpdateGrub("/etc/default/grub"))));

    assertThat(steps.get(0).change().commands()).containsExactly(Command.of("edit", "/etc/default/grub"));
    assertThat(steps.get(0).change().notes()).containsExactly("update-grub runs once, in step 3 (pci_passthrough[gpu]), after it changes the same inputs");
    assertThat(steps.get(1)).isEqualTo(Planner.coalesceRebuilds(List.of(steps.get(1))).get(0));
    assertThat(steps.get(2).change().commands()).containsExactly(Command.of("edit", "/etc/default/grub"), Command.of("update-grub"));
    assertThat(steps).flatExtracting(s -> s.change().commands()).filteredOn(c -> c.argv().equals(List.of("update-grub"))).hasSize(1);
  }

  @Test
  void coalesceRebuilds_laterStepBlockedOrWaitingForABlockedOne_eachEarlierStepKeepsItsOwnRebuild() {
    Change blocked = editThenUpdateGrub("/etc/default/grub").withBlocker("waits for the reboot");
    List<Step> laterBlocked = Planner.coalesceRebuilds(List.of(
        step(1, "kernel_cmdline[iommu]", List.of(), editThenUpdateGrub("/etc/default/grub")),
        step(2, "pci_passthrough[gpu]", List.of(), blocked)));
    assertThat(laterBlocked.get(0).change().commands()).contains(Command.of("update-grub"));

    List<Step> waiting = Planner.coalesceRebuilds(List.of(
        step(1, "kernel_cmdline[iommu]", List.of(), editThenUpdateGrub("/etc/default/grub")),
        step(2, "assert[iommu]", List.of(), Change.of(Action.RUN, "a", "b", List.of()).withBlocker("after the reboot")),
        step(3, "kernel_cmdline[ids]", List.of("assert[iommu]"), editThenUpdateGrub("/etc/default/grub.d/ids.cfg"))));
    assertThat(waiting.get(0).change().commands()).contains(Command.of("update-grub"));
    assertThat(waiting.get(0).change().notes()).isEmpty();
  }

  @Test
  void coalesceRebuilds_plainEqualCommands_areNotRebuilds_andAllRun() {
    Change restart = Change.of(Action.RUN, "a", "b", List.of(Command.of("systemctl", "restart", "nova-compute")));
    List<Step> steps = Planner.coalesceRebuilds(List.of(step(1, "a", List.of(), restart), step(2, "b", List.of(), restart)));
    assertThat(steps).allSatisfy(s -> assertThat(s.change().commands()).hasSize(1));
  }

  @Test
  void withoutRebuildCoalescing_eachStepKeepsItsOwnRebuild_forARunThatMayLeaveTheLaterStep() {
    HostCatalog catalog = host(
        resource(0, APPEND_THEN_REBUILD, Map.of("path", "/etc/default/grub", "line", "a"), List.of(), List.of(), false),
        resource(1, APPEND_THEN_REBUILD, Map.of("path", "/etc/default/grub", "line", "b"), List.of(), List.of(), false));
    FactSet facts = facts(catalog, Map.of("/etc/default/grub", "GRUB_TIMEOUT=5\n"));

    HostPlan coalesced = planner.plan(catalog, facts, RebootPolicy.NEVER);
    assertThat(coalesced.steps()).extracting(s -> s.change().commands().stream().filter(Command::rebuild).count())
        .containsExactly(0L, 1L);

    HostPlan own = planner.withoutRebuildCoalescing().plan(catalog, facts, RebootPolicy.NEVER);
    assertThat(own.steps()).extracting(s -> s.change().commands().stream().filter(Command::rebuild).count())
        .containsExactly(1L, 1L);
    assertThat(own.steps()).allSatisfy(s -> assertThat(s.change().notes()).isEmpty());
  }
}

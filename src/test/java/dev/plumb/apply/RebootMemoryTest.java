package dev.plumb.apply;

import static dev.plumb.apply.TestHost.BOOT;
import static dev.plumb.apply.TestHost.BOOT_CONF;
import static dev.plumb.apply.TestHost.RUNNING;
import static dev.plumb.apply.TestHost.catalog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.apply.HostResult.Outcome;
import dev.plumb.load.HostCatalog;
import dev.plumb.load.Resource;
import dev.plumb.modules.Params;
import dev.plumb.plan.Planner;
import dev.plumb.plan.RebootPolicy;
import dev.plumb.source.Mark;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: a host whose reboot does not take must not reboot on every run. Runs of one host's apply
 * against a scripted host whose boot ignores the new setting (the running value stays "quiet").
 */
class RebootMemoryTest {
  private final ScriptedHost host = new ScriptedHost();
  private final Planner planner = new Planner(List.of());

  private HostResult apply(HostCatalog catalog, boolean force) {
    RunOptions options = RunOptions.defaults(Mode.APPLY).withReboot(RebootPolicy.IF_NEEDED)
        .withRebootTimeout(Duration.ofMillis(500)).withRebootAgain(force);
    return new HostRun(catalog, host.connector(), planner, options, Duration.ofMillis(10)).run();
  }

  /** tboot[iommu] declaring {@code value}: one resource whose declared value can change. */
  private static HostCatalog boot(String value) {
    Params p = Params.of(new LinkedHashMap<>(Map.of("value", value)), BOOT.params());
    return catalog(new Resource("tboot[iommu]", "iommu", BOOT, p, List.of(), List.of(), Set.of(), false,
        new Mark("play.yml", 3, 5), 0));
  }

  private ScriptedHost bootIgnoresTheSetting() {
    return host.file(BOOT_CONF, "quiet\n").commandFact(RUNNING, 0, "quiet\n");
  }

  private String record() {
    return host.text(RebootMemory.PATH);
  }

  @Test
  void rebootThatDidNotTake_isRemembered_theNextApplyRefusesForTheSameCause_withTheReport() {
    bootIgnoresTheSetting();
    HostResult first = apply(boot("iommu=on"), false);
    assertThat(first.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(first.rebooted()).isTrue();
    assertThat(host.reboots).isEqualTo(1);
    assertThat(record()).as("the attempt is remembered on the host").contains("boot-0", "tboot[iommu]",
        "expected\ttboot[iommu]: 1 line, 9 bytes");

    HostResult second = apply(boot("iommu=on"), false);
    assertThat(host.reboots).as("no second reboot for the same cause").isEqualTo(1);
    assertThat(host.ran).filteredOn(Reboot.TRIGGER::equals).hasSize(1);
    assertThat(second.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(second.rebooted()).isFalse();
    assertThat(second.rebootPending()).isTrue();
    assertThat(second.problems()).singleElement().asString()
        .contains("not rebooting: a reboot at ", "(boot_id boot-0) for the same unchanged cause did not take",
            "Expected: tboot[iommu]: 1 line, 9 bytes",
            "The host runs: tboot[iommu]: reboot pending: running quiet",
            "apply --reboot force", RebootMemory.PATH);
  }

  @Test
  void force_rebootsOnceMore_andThatAttemptIsRememberedInTurn() {
    bootIgnoresTheSetting();
    apply(boot("iommu=on"), false);
    HostResult forced = apply(boot("iommu=on"), true);
    assertThat(forced.rebooted()).isTrue();
    assertThat(host.reboots).isEqualTo(2);
    assertThat(record()).contains("boot-1");

    HostResult after = apply(boot("iommu=on"), false);
    assertThat(host.reboots).isEqualTo(2);
    assertThat(after.problems()).singleElement().asString().contains("not rebooting", "boot_id boot-1");
  }

  @Test
  void changedDeclaredValue_isAnotherCause_rebootsOnceMore() {
    bootIgnoresTheSetting();
    apply(boot("iommu=on"), false);
    HostResult changed = apply(boot("iommu=pt"), false);
    assertThat(changed.rebooted()).as(changed.toString()).isTrue();
    assertThat(host.reboots).isEqualTo(2);
    apply(boot("iommu=pt"), false);
    assertThat(host.reboots).as("the new cause did not take either: remembered").isEqualTo(2);
  }

  @Test
  void rebootThatTook_clearsTheRecord() {
    bootIgnoresTheSetting();
    host.onReboot = h -> h.commandFact(RUNNING, 0, h.text(BOOT_CONF));
    HostResult r = apply(boot("iommu=on"), false);
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.CHANGED);
    assertThat(record()).isNull();
    assertThat(host.commands()).contains(RebootMemory.CLEAR);
  }

  @Test
  void rememberedAttemptWhoseStateIsLiveNow_isRemovedByTheNextApply_thenAConvergedHostRunsNothing() {
    // A run killed after the reboot took, before it could say so: the record stays behind.
    host.file(BOOT_CONF, "iommu=on\n").commandFact(RUNNING, 0, "iommu=on\n");
    Map<String, String> cause = Map.of("tboot[iommu]", boot("iommu=on").resources().get(0).declaredDigest());
    host.file(RebootMemory.PATH, new RebootMemory.Attempt("boot-old", Instant.parse("2026-01-01T00:00:00Z"), cause,
        List.of("tboot[iommu]: iommu=on")).encode());
    HostResult r = apply(boot("iommu=on"), false);
    assertThat(r.outcome()).isEqualTo(Outcome.CONVERGED);
    assertThat(record()).isNull();

    host.ran.clear();
    assertThat(apply(boot("iommu=on"), false).outcome()).isEqualTo(Outcome.CONVERGED);
    assertThat(host.commands()).as("nothing left to remove").isEmpty();
  }

  @Test
  void attemptThatNeverRebooted_sameBootId_doesNotRefuse() {
    bootIgnoresTheSetting();
    Map<String, String> cause = Map.of("tboot[iommu]", boot("iommu=on").resources().get(0).declaredDigest());
    host.file(RebootMemory.PATH, new RebootMemory.Attempt("boot-0", Instant.parse("2026-01-01T00:00:00Z"), cause,
        List.of("tboot[iommu]: iommu=on")).encode());
    HostResult r = apply(boot("iommu=on"), false);
    assertThat(r.rebooted()).as("killed before its reboot: the attempt never happened").isTrue();
    assertThat(host.reboots).isEqualTo(1);
  }

  @Test
  void checkAndPlan_neitherWriteNorClearTheRecord() {
    bootIgnoresTheSetting();
    apply(boot("iommu=on"), false);
    String before = record();
    host.ran.clear();
    RunOptions check = RunOptions.defaults(Mode.CHECK).withReboot(RebootPolicy.IF_NEEDED);
    HostResult r = new HostRun(boot("iommu=on"), host.connector(), planner, check, Duration.ofMillis(10)).run();
    assertThat(r.outcome()).isEqualTo(Outcome.CHANGED);
    assertThat(host.commands()).isEmpty();
    assertThat(record()).isEqualTo(before);
  }

  @Test
  void attempt_encodeThenDecode_isTheSame_andForeignTextIsIgnored() {
    var a = new RebootMemory.Attempt("b-1", Instant.parse("2026-11-30T02:00:00Z"),
        Map.of("kernel_cmdline[iommu]", "sha256:ab", "x[a\tb]", "sha256:cd"), List.of("kernel_cmdline[iommu]: has\nintel_iommu=on"));
    var back = RebootMemory.Attempt.decode(a.encode()).orElseThrow();
    assertThat(back.bootIdBefore()).isEqualTo("b-1");
    assertThat(back.at()).isEqualTo(a.at());
    assertThat(back.cause()).containsEntry("kernel_cmdline[iommu]", "sha256:ab").containsEntry("x[a b]", "sha256:cd");
    assertThat(back.expected()).containsExactly("kernel_cmdline[iommu]: has intel_iommu=on");
    assertThat(RebootMemory.Attempt.decode("hello\n")).isEmpty();
    assertThat(RebootMemory.Attempt.decode("")).isEmpty();
  }

  @Test
  void rebootPlannedForAChangeThatMadeItselfLive_isNotDone_theFactsReadAtTheBarrierDecide() {
    bootIgnoresTheSetting();
    // Like an installer that loads its driver: the write makes the new value live at once.
    host.on("plumb-write", h -> {
      h.file(BOOT_CONF, "iommu=on\n").commandFact(RUNNING, 0, "iommu=on\n");
      return ScriptedHost.ok("");
    });
    HostResult r = apply(boot("iommu=on"), false);
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.CHANGED);
    assertThat(r.rebooted()).isFalse();
    assertThat(host.reboots).isZero();
    assertThat(record()).isNull();
  }
}

package dev.plumb.apply;

import static dev.plumb.apply.TestHost.BOOT;
import static dev.plumb.apply.TestHost.BOOT_CONF;
import static dev.plumb.apply.TestHost.DRIVER;
import static dev.plumb.apply.TestHost.FILE;
import static dev.plumb.apply.TestHost.INSTALLER;
import static dev.plumb.apply.TestHost.LOADED;
import static dev.plumb.apply.TestHost.RUN;
import static dev.plumb.apply.TestHost.RUNNING;
import static dev.plumb.apply.TestHost.catalog;
import static dev.plumb.apply.TestHost.handler;
import static dev.plumb.apply.TestHost.notifying;
import static dev.plumb.apply.TestHost.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.apply.HostResult.Outcome;
import dev.plumb.apply.StepResult.Status;
import dev.plumb.facts.Fact;
import dev.plumb.facts.FactSet;
import dev.plumb.load.HostCatalog;
import dev.plumb.modules.Change;
import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleSpec;
import dev.plumb.modules.Param;
import dev.plumb.modules.Params;
import dev.plumb.plan.Planner;
import dev.plumb.plan.RebootPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The whole of one host's apply against a scripted host: phases, reboot, verification. */
class HostRunTest {
  private final ScriptedHost host = new ScriptedHost();
  private final Planner planner = new Planner(List.of());

  private HostResult apply(HostCatalog catalog, RebootPolicy reboot) {
    RunOptions options = RunOptions.defaults(Mode.APPLY).withReboot(reboot).withRebootTimeout(Duration.ofMillis(500));
    return new HostRun(catalog, host.connector(), planner, options, Duration.ofMillis(10)).run();
  }

  private static StepResult result(HostResult r, String id) {
    return r.steps().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void apply_changes_areVerifiedFromFactsReadAgain() {
    host.file("/etc/a", "old\n");
    HostResult r = apply(catalog(resource(0, FILE, Map.of("path", "/etc/a", "content", "new\n"))), RebootPolicy.NEVER);
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.CHANGED);
    assertThat(host.text("/etc/a")).isEqualTo("new\n");
    assertThat(r.execs()).as("facts, the lease, the write, facts again").isEqualTo(4);
  }

  @Test
  void apply_stepThatExits0ButChangesNothing_isNamedAsNotConverged() {
    host.file("/etc/a", "old\n").on("plumb-write", h -> ScriptedHost.ok(""));
    HostResult r = apply(catalog(resource(0, FILE, Map.of("path", "/etc/a", "content", "new\n"))), RebootPolicy.NEVER);
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.problems()).singleElement().asString().startsWith("tfile[/etc/a] did not converge: still 1 line");
  }

  @Test
  void apply_failedStep_failsTheHost_skipsOnlyItsDependents() {
    host.on("-c a", h -> ScriptedHost.exit(2, "nope"));
    HostResult r = apply(catalog(resource(0, RUN, Map.of("cmd", "a")), resource(1, RUN, Map.of("cmd", "b"), "trun[a]"),
        resource(2, RUN, Map.of("cmd", "c"))), RebootPolicy.NEVER);
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result(r, "trun[a]").status()).isEqualTo(Status.FAILED);
    assertThat(result(r, "trun[b]").status()).isEqualTo(Status.SKIPPED);
    assertThat(result(r, "trun[c]").status()).isEqualTo(Status.CHANGED);
    assertThat(r.problems()).containsExactly("trun[a] failed: `a` exited 2: nope");
  }

  @Test
  void apply_connectionLostMidRun_failsTheHost_withEveryStepAccountedFor() {
    host.dropAtExec(3);
    HostResult r = apply(catalog(resource(0, RUN, Map.of("cmd", "a")), resource(1, RUN, Map.of("cmd", "b")),
        resource(2, RUN, Map.of("cmd", "c"))), RebootPolicy.NEVER);
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.steps()).extracting(StepResult::status).containsExactly(Status.CHANGED, Status.FAILED, Status.SKIPPED);
    assertThat(host.commands()).containsExactly("/bin/sh -c a", "/bin/sh -c b");
  }

  @Test
  void apply_unreachableHost_isUnreachable_withoutAPlan() {
    host.unreachable(true);
    HostResult r = apply(catalog(resource(0, RUN, Map.of("cmd", "a"))), RebootPolicy.NEVER);
    assertThat(r.outcome()).isEqualTo(Outcome.UNREACHABLE);
    assertThat(r.plan()).isEmpty();
    assertThat(r.problems()).singleElement().asString().contains("connection refused");
  }

  private HostCatalog bootCatalog() {
    return catalog(resource(0, BOOT, Map.of("value", "iommu=on")));
  }

  @Test
  void apply_rebootMakesTheRunningStateLive_converges_withOneReboot() {
    host.file(BOOT_CONF, "quiet\n").commandFact(RUNNING, 0, "quiet\n");
    host.onReboot = h -> h.commandFact(RUNNING, 0, h.text(BOOT_CONF));
    HostResult r = apply(bootCatalog(), RebootPolicy.IF_NEEDED);
    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.CHANGED);
    assertThat(r.rebooted()).isTrue();
    assertThat(r.rebootPending()).isFalse();
    assertThat(host.reboots).isEqualTo(1);
  }

  @Test
  void apply_rebootThatDoesNotChangeTheBootId_stopsWithAReport_andNeverRebootsTwice() {
    host.file(BOOT_CONF, "quiet\n").commandFact(RUNNING, 0, "quiet\n");
    host.keepsBootId = true;
    HostResult r = apply(bootCatalog(), RebootPolicy.IF_NEEDED);
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.rebooted()).isFalse();
    assertThat(r.rebootPending()).isTrue();
    assertThat(r.problems()).singleElement().asString().contains("did not come back with a new boot_id");
    assertThat(host.reboots).isEqualTo(1);
    assertThat(r.steps()).extracting(StepResult::status).containsExactly(Status.CHANGED);
  }

  @Test
  void apply_rebootThatDoesNotFixTheRunningState_stopsWithAReport_andNeverRebootsTwice() {
    host.file(BOOT_CONF, "quiet\n").commandFact(RUNNING, 0, "quiet\n");
    HostResult r = apply(bootCatalog(), RebootPolicy.IF_NEEDED);
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.rebooted()).isTrue();
    assertThat(r.problems()).singleElement().asString()
        .contains("after one reboot the running state still differs from the next boot; not rebooting again",
            "tboot[iommu=on]: reboot pending: running quiet");
    assertThat(host.reboots).isEqualTo(1);
    assertThat(host.ran.stream().filter(Reboot.TRIGGER::equals)).hasSize(1);
  }

  @Test
  void apply_blockedStep_waitsForTheReboot_andIsPlannedAgainFromFreshFacts() {
    host.file(BOOT_CONF, "quiet\n").commandFact(RUNNING, 0, "quiet\n").commandFact(LOADED, 0, "live\n");
    host.onReboot = h -> h.commandFact(RUNNING, 0, h.text(BOOT_CONF)).commandFact(LOADED, 1, "");
    host.on("install-driver", h -> {
      h.file(DRIVER, "367.35");
      return ScriptedHost.ok("");
    });
    HostResult r = apply(catalog(resource(0, BOOT, Map.of("value", "iommu=on")),
        resource(1, INSTALLER, Map.of("version", "367.35"))), RebootPolicy.IF_NEEDED);

    assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.CHANGED);
    assertThat(result(r, "tdriver[367.35]").status()).isEqualTo(Status.DEFERRED);
    var second = r.afterReboot().orElseThrow();
    assertThat(second.steps()).filteredOn(s -> s.id().equals("tdriver[367.35]")).singleElement()
        .satisfies(s -> assertThat(s.change().blockers()).isEmpty());
    assertThat(r.afterRebootSteps()).extracting(StepResult::id, StepResult::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("tdriver[367.35]", Status.CHANGED));
    assertThat(host.text(DRIVER)).isEqualTo("367.35");
    assertThat(host.reboots).isEqualTo(1);
    // The installer ran once, after the reboot, planned from the facts read then.
    int trigger = host.ran.indexOf(Reboot.TRIGGER);
    assertThat(host.ran.subList(trigger, host.ran.size())).contains("install-driver 367.35");
    assertThat(host.ran.subList(0, trigger)).doesNotContain("install-driver 367.35");
  }

  @Test
  void apply_somethingEscapingAPhase_failsThisHost_withItsPlanAndStepsIntact() {
    // A module whose fact list breaks on its third call: planning works, verification throws.
    AtomicInteger calls = new AtomicInteger();
    Module flaky = new Module() {
      @Override public ModuleSpec spec() {
        return ModuleSpec.of("tflaky", "breaks late", "path",
            Param.required("path", Param.Type.STRING, ""));
      }
      @Override public List<Fact> facts(Params p) {
        if (calls.incrementAndGet() > 3) {
          throw new IllegalStateException("flaky module");
        }
        return List.of(Fact.file(p.string("path")));
      }
      @Override public Change diff(Params p, FactSet facts) {
        return FILE.diff(Params.of(Map.of("path", p.string("path"), "content", "x\n"), FILE.params()), facts);
      }
    };
    HostResult r = apply(catalog(resource(0, flaky, Map.of("path", "/etc/f"))), RebootPolicy.NEVER);
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.plan()).isPresent();
    assertThat(r.steps()).extracting(StepResult::status).containsExactly(Status.CHANGED);
    assertThat(r.problems()).singleElement().asString()
        .startsWith("plumb stopped on this host: java.lang.IllegalStateException: flaky module").doesNotContain("internal error");
    assertThat(host.text("/etc/f")).isEqualTo("x\n");
  }

  private HostResult run(HostCatalog catalog, Mode mode) {
    RunOptions options = new RunOptions(mode, RebootPolicy.NEVER, 1, Duration.ofSeconds(5), Duration.ofSeconds(5),
        Duration.ofMillis(500), RunOptions.defaults(mode).holder(), StepPolicy.ALL);
    return new HostRun(catalog, host.connector(), planner, options, Duration.ofMillis(10)).run();
  }

  private HostCatalog notifierAndHandler() {
    return catalog(notifying(resource(0, FILE, Map.of("path", "/etc/nova.conf", "content", "new\n")), "trestart[nova]"),
        handler(1, "nova"));
  }

  @Test
  void apply_stoppedAfterTheNotifierWroteBeforeItsHandler_leavesTheHandlerDue_checkSaysSo_nextApplyRunsItOnce() {
    host.file("/etc/nova.conf", "old\n");
    // execs: 1 facts, 2 the handler's due mark, 3 the write, 4 the restart: the connection drops there.
    host.dropAtExec(4);
    HostResult killed = run(notifierAndHandler(), Mode.APPLY);
    assertThat(killed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(host.text("/etc/nova.conf")).isEqualTo("new\n");
    assertThat(host.files.keySet()).as("the restart's due mark").anyMatch(p -> p.startsWith(dev.plumb.plan.DueHandlers.DIR + "/"));

    HostResult check = run(notifierAndHandler(), Mode.CHECK);
    assertThat(check.outcome()).as("check: the restart is still due").isEqualTo(Outcome.CHANGED);
    assertThat(check.plan().orElseThrow().changes()).singleElement().satisfies(s -> {
      assertThat(s.id()).isEqualTo("trestart[nova]");
      assertThat(s.notifiedBy()).containsExactly(dev.plumb.plan.DueHandlers.EARLIER_RUN);
    });

    host.ran.clear();
    HostResult again = run(notifierAndHandler(), Mode.APPLY);
    assertThat(again.outcome()).as(again.toString()).isEqualTo(Outcome.CHANGED);
    assertThat(host.commands().stream().filter(c -> c.contains("restart nova"))).hasSize(1);

    host.ran.clear();
    HostResult third = run(notifierAndHandler(), Mode.APPLY);
    assertThat(third.outcome()).isEqualTo(Outcome.CONVERGED);
    assertThat(host.commands()).isEmpty();
  }

  @Test
  void apply_handlerThatFails_staysDue_andRunsAtTheNextApply() {
    host.file("/etc/nova.conf", "old\n").on("restart nova", h -> ScriptedHost.exit(1, "nova did not start"));
    assertThat(run(notifierAndHandler(), Mode.APPLY).outcome()).isEqualTo(Outcome.FAILED);
    HostResult check = run(notifierAndHandler(), Mode.CHECK);
    assertThat(check.outcome()).isEqualTo(Outcome.CHANGED);
  }

  @Test
  void apply_notifierAndHandlerInOneRun_leaveNothingDue() {
    host.file("/etc/nova.conf", "old\n");
    assertThat(run(notifierAndHandler(), Mode.APPLY).outcome()).isEqualTo(Outcome.CHANGED);
    assertThat(host.files.keySet()).noneMatch(p -> p.startsWith(dev.plumb.plan.DueHandlers.DIR));
    assertThat(run(notifierAndHandler(), Mode.CHECK).outcome()).isEqualTo(Outcome.CONVERGED);
  }

  @Test
  void apply_hostRebootTimeoutVar_winsOverTheRunsTimeout() {
    host.file(BOOT_CONF, "quiet\n").commandFact(RUNNING, 0, "quiet\n");
    host.keepsBootId = true;
    HostCatalog c = bootCatalog();
    HostCatalog withVar = new HostCatalog(new dev.plumb.inventory.Host("h1", List.of("all"),
        Map.of("plumb_reboot_timeout", new dev.plumb.source.Value.Scalar("1s", dev.plumb.source.Mark.nowhere("inv")))),
        c.resources());
    HostResult r = apply(withVar, RebootPolicy.IF_NEEDED);
    assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("within 1 s"));
  }
}

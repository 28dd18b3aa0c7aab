package dev.plumb.apply;

import static dev.plumb.apply.Steps.blocked;
import static dev.plumb.apply.Steps.handler;
import static dev.plumb.apply.Steps.plan;
import static dev.plumb.apply.Steps.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.apply.StepResult.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseTest {
  private final StepExecutor executor = new StepExecutor(Duration.ofSeconds(5));
  private final ScriptedHost host = new ScriptedHost();

  private Phase run(dev.plumb.plan.HostPlan plan, boolean deferBlocked) throws Exception {
    return Phase.run(plan, host.connect(), executor, deferBlocked);
  }

  @Test
  void run_failedStep_skipsOnlyItsDependents() throws Exception {
    host.on("do-a", h -> ScriptedHost.exit(1, "boom"));
    Phase phase = run(plan(step("a", List.of("do-a")), step("b", List.of("do-b"), "a"), step("c", List.of("do-c")),
        step("d", List.of("do-d"), "b")), false);
    assertThat(phase.results().get("a").status()).isEqualTo(Status.FAILED);
    assertThat(phase.results().get("b").status()).isEqualTo(Status.SKIPPED);
    assertThat(phase.results().get("b").message()).contains("requires a, which failed");
    assertThat(phase.results().get("c").status()).isEqualTo(Status.CHANGED);
    assertThat(phase.results().get("d").message()).contains("requires b, which was skipped");
    assertThat(host.commands()).containsExactly("/bin/sh -c do-a", "/bin/sh -c do-c");
    assertThat(phase.failures()).containsExactly("a failed: `do-a` exited 1: boom");
  }

  @Test
  void run_connectionLost_marksTheRestNotRun_andRunsNothingMore() throws Exception {
    host.dropAtExec(2);
    Phase phase = run(plan(step("a", List.of("do-a")), step("b", List.of("do-b")), step("c", List.of("do-c"))), false);
    assertThat(phase.connectionLost()).isTrue();
    assertThat(phase.results().get("a").status()).isEqualTo(Status.CHANGED);
    assertThat(phase.results().get("b").status()).isEqualTo(Status.FAILED);
    assertThat(phase.results().get("b").message()).startsWith("connection lost while running `do-b`");
    assertThat(phase.results().get("c").status()).isEqualTo(Status.SKIPPED);
    assertThat(phase.results().get("c").message()).contains("connection to the host was lost", "unknown");
    assertThat(host.ran).hasSize(2);
  }

  @Test
  void run_timedOutStep_failsIt_butTheConnectionGoesOnForIndependentSteps() throws Exception {
    host.timeoutAtExec(1);
    Phase phase = run(plan(step("a", List.of("do-a")), step("b", List.of("do-b"))), false);
    assertThat(phase.connectionLost()).isFalse();
    assertThat(phase.results().get("a").status()).isEqualTo(Status.FAILED);
    assertThat(phase.results().get("b").status()).isEqualTo(Status.CHANGED);
  }

  @Test
  void run_beforeAReboot_blockedStepAndItsDependentsWait_othersRun() throws Exception {
    Phase phase = run(plan(blocked("driver", "nouveau is loaded"), step("cuda", List.of("do-cuda"), "driver"),
        step("other", List.of("do-other"))), true);
    assertThat(phase.results().get("driver").status()).isEqualTo(Status.DEFERRED);
    assertThat(phase.results().get("cuda").status()).isEqualTo(Status.DEFERRED);
    assertThat(phase.results().get("cuda").message()).contains("waits for driver");
    assertThat(phase.results().get("other").status()).isEqualTo(Status.CHANGED);
    assertThat(phase.failed()).isFalse();
    assertThat(host.commands()).containsExactly("/bin/sh -c do-other");
  }

  @Test
  void run_withoutAReboot_blockedStepFails_andItsDependentsAreSkipped() throws Exception {
    Phase phase = run(plan(blocked("driver", "nouveau is loaded"), step("cuda", List.of("do-cuda"), "driver")), false);
    assertThat(phase.results().get("driver").status()).isEqualTo(Status.BLOCKED);
    assertThat(phase.results().get("cuda").status()).isEqualTo(Status.SKIPPED);
    assertThat(host.ran).isEmpty();
  }

  @Test
  void run_handler_runsWhenOneNotifierSucceeded_skippedWhenEveryNotifierFailed() throws Exception {
    host.on("do-a", h -> ScriptedHost.exit(1, "boom"));
    Phase some = run(plan(step("a", List.of("do-a")), step("b", List.of("do-b")), handler("h", "a", "b")), false);
    assertThat(some.results().get("h").status()).isEqualTo(Status.CHANGED);
    Phase none = run(plan(step("a", List.of("do-a")), handler("h", "a")), false);
    assertThat(none.results().get("h").status()).isEqualTo(Status.SKIPPED);
    assertThat(none.results().get("h").message()).contains("every resource that notified it failed");
  }

  @Test
  void run_beforeAReboot_handlerOfADeferredNotifier_waitsWithIt_andRunsNothing() throws Exception {
    Phase phase = run(plan(blocked("driver", "nouveau is loaded"), handler("rebuild", "driver")), true);
    assertThat(phase.results().get("driver").status()).isEqualTo(Status.DEFERRED);
    assertThat(phase.results().get("rebuild").status()).isEqualTo(Status.DEFERRED);
    assertThat(phase.results().get("rebuild").message()).contains("waits for the reboot");
    assertThat(host.ran).isEmpty();
  }

  @Test
  void run_beforeAReboot_handlerWithOneNotifierRun_andOneDeferred_runsNow() throws Exception {
    Phase phase = run(plan(blocked("driver", "nouveau is loaded"), step("conf", List.of("do-conf")),
        handler("rebuild", "driver", "conf")), true);
    assertThat(phase.results().get("rebuild").status()).isEqualTo(Status.CHANGED);
    assertThat(host.commands()).containsExactly("/bin/sh -c do-conf", "/bin/sh -c 'restart rebuild'");
  }

  @Test
  void run_beforeAReboot_handlerLeftDueByAnEarlierRun_runsNow_evenWhenItsNotifierIsDeferred() throws Exception {
    Phase phase = run(plan(blocked("driver", "nouveau is loaded"),
        handler("rebuild", "driver", dev.plumb.plan.DueHandlers.EARLIER_RUN)), true);
    assertThat(phase.results().get("rebuild").status()).isEqualTo(Status.CHANGED);
  }
}

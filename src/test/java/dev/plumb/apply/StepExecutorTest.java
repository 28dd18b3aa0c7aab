package dev.plumb.apply;

import static dev.plumb.apply.Steps.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.apply.StepExecutor.Status;
import dev.plumb.transport.Connection;
import dev.plumb.transport.ExecResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepExecutorTest {
  private final StepExecutor executor = new StepExecutor(Duration.ofSeconds(5));
  private final ScriptedHost host = new ScriptedHost();

  @Test
  void execute_everyCommandExits0_isOk_andRunsThemInOrder() throws Exception {
    StepExecutor.Outcome o = executor.execute(step("a", List.of("one", "two")), host.connect());
    assertThat(o.status()).isEqualTo(Status.OK);
    assertThat(o.commandsRun()).isEqualTo(2);
    assertThat(host.ran).containsExactly("/bin/sh -c one", "/bin/sh -c two");
  }

  @Test
  void execute_commandExitsNonZero_isFailedWithItsStderr_andStopsThere() throws Exception {
    host.on("two", h -> ScriptedHost.exit(3, "line 1\nno space left on device"));
    StepExecutor.Outcome o = executor.execute(step("a", List.of("one", "two", "three")), host.connect());
    assertThat(o.status()).isEqualTo(Status.FAILED);
    assertThat(o.commandsRun()).isEqualTo(2);
    assertThat(o.message()).contains("`two` exited 3", "no space left on device");
    assertThat(host.ran).doesNotContain("/bin/sh -c three");
  }

  @Test
  void execute_commandRunsPastItsTimeout_isTimedOut_notALostConnection() throws Exception {
    host.timeoutAtExec(2);
    StepExecutor.Outcome o = executor.execute(step("a", List.of("one", "two", "three")), host.connect());
    assertThat(o.status()).isEqualTo(Status.TIMED_OUT);
    assertThat(o.commandsRun()).isEqualTo(1);
  }

  @Test
  void execute_connectionDrops_isConnectionLost_whateverTheMessageSays() throws Exception {
    host.dropAtExec(1);
    StepExecutor.Outcome o = executor.execute(step("a", List.of("one")), host.connect());
    assertThat(o.status()).isEqualTo(Status.CONNECTION_LOST);
    assertThat(o.commandsRun()).isZero();
    assertThat(o.message()).contains("connection lost while running `one`");
  }

  @Test
  void execute_transportThrowsSomethingUnexpected_isConnectionLost_notACrash() {
    Connection broken = new Connection() {
      @Override public String host() { return "h"; }
      @Override public ExecResult exec(String command, byte[] stdin, Duration timeout) {
        throw new IllegalStateException("channel in a bad state");
      }
      @Override public int execCount() { return 0; }
      @Override public void close() {}
    };
    StepExecutor.Outcome o = executor.execute(step("a", List.of("one")), broken);
    assertThat(o.status()).isEqualTo(Status.CONNECTION_LOST);
    assertThat(o.message()).contains("channel in a bad state");
  }

  @Test
  void execute_stepWithItsOwnTimeout_passesIt_elseTheRunsTimeout() {
    List<Duration> seen = new java.util.ArrayList<>();
    Connection recording = new Connection() {
      @Override public String host() { return "h"; }
      @Override public ExecResult exec(String command, byte[] stdin, Duration timeout) {
        seen.add(timeout);
        return ScriptedHost.ok("");
      }
      @Override public int execCount() { return 0; }
      @Override public void close() {}
    };
    var own = step("a", List.of("one"));
    own = new dev.plumb.plan.Step(1, own.id(), own.type(), false, own.declaredAt(), Duration.ofSeconds(42), own.change(),
        own.dependsOn(), own.notifiedBy(), own.facts());
    executor.execute(own, recording);
    executor.execute(step("b", List.of("two")), recording);
    assertThat(seen).containsExactly(Duration.ofSeconds(42), Duration.ofSeconds(5));
  }
}

package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

/** What every "a second apply runs nothing" test asserts of one host's report. */
final class Converged {
  private Converged() {}

  /** {@code again} exited 0 and {@code host} is converged: every step none, no command run, no reboot pending. */
  static Plumb.Host ranNothing(Plumb again, String host) {
    assertThat(again.exit()).as(again.toString()).isZero();
    Plumb.Host second = again.json().host(host);
    assertThat(second.outcome()).as(second.toString()).isEqualTo("converged");
    assertThat(second.steps()).isNotEmpty().allSatisfy(step -> {
      assertThat(step.action()).as(step.id()).isEqualTo("none");
      assertThat(step.commandsRun()).as(step.id() + " commands_run").isZero();
    });
    assertThat(second.flag("reboot_pending")).isFalse();
    return second;
  }
}

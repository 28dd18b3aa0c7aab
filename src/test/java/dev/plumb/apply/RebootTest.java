package dev.plumb.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RebootTest {
  private final ScriptedHost host = new ScriptedHost();

  private Reboot reboot(Duration timeout) {
    return new Reboot(host::connect, timeout, Duration.ofSeconds(1), Duration.ofMillis(10));
  }

  @Test
  void run_hostComesBackWithANewBootId_succeeds_afterOneTrigger() throws Exception {
    Optional<String> problem = reboot(Duration.ofSeconds(5)).run(host.connect(), "boot-0");
    assertThat(problem).isEmpty();
    assertThat(host.reboots).isEqualTo(1);
    assertThat(host.ran).containsExactly(Reboot.TRIGGER, Reboot.READ_BOOT_ID);
  }

  @Test
  void run_bootIdNeverChanges_stopsAtTheTimeoutWithAReport_andNeverTriggersTwice() throws Exception {
    host.keepsBootId = true;
    long start = System.nanoTime();
    Optional<String> problem = reboot(Duration.ofMillis(300)).run(host.connect(), "boot-0");
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(problem).get().asString().contains("did not come back with a new boot_id", "boot_id is still boot-0");
    assertThat(millis).as("bounded by the reboot timeout").isLessThan(3_000);
    assertThat(host.reboots).isEqualTo(1);
    assertThat(host.ran.stream().filter(Reboot.TRIGGER::equals)).hasSize(1);
  }

  @Test
  void run_hostNeverAnswersAgain_stopsAtTheTimeoutWithTheLastError() throws Exception {
    host.onReboot = h -> h.unreachable(true);
    Optional<String> problem = reboot(Duration.ofMillis(200)).run(host.connect(), "boot-0");
    assertThat(problem).get().asString().contains("within 0 s", "connection refused");
    assertThat(host.reboots).isEqualTo(1);
  }

  @Test
  void run_probeThatThrowsUnchecked_likeSshjsNotConnectedWhileTheHostComesUp_isRetried() throws Exception {
    java.util.concurrent.atomic.AtomicInteger opens = new java.util.concurrent.atomic.AtomicInteger();
    Reboot r = new Reboot(() -> {
      if (opens.incrementAndGet() == 1) {
        throw new IllegalStateException("Not connected");
      }
      return host.connect();
    }, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(10));
    Optional<String> problem = r.run(host.connect(), "boot-0");
    assertThat(problem).isEmpty();
    assertThat(opens.get()).isEqualTo(2);
  }
}

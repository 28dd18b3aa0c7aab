package dev.plumb.e2e;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The playbook the drift and watch ITs converge: two files on every hypervisor, the second one's
 * value filled in ({@code PLAY.formatted("2")}) so a test can commit a rollout; waiting for what a
 * long-running watcher does, and a free port for its metrics.
 */
final class TwoFilePlay {
  private TwoFilePlay() {}

  static final String PLAY = """
      - hosts: hypervisors
        resources:
          - file: {path: /etc/plumb-a.conf, content: "a=1\\n"}
            name: a
          - file: {path: /etc/plumb-b.conf, content: "b=%s\\n"}
            name: b
      """;

  /** Polls {@code condition} every 250 ms; fails naming {@code what} when {@code within} runs out. */
  static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
      }
      Thread.sleep(250);
    }
  }

  /** A TCP port free on this machine now (for {@code --metrics-listen}). */
  static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

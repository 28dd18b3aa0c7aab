package dev.plumb.apply;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST ONLY: {@code PLUMB_TEST_KILL_AFTER_STEP=N} in the environment makes plumb kill itself with
 * SIGKILL at the N-th step boundary of the process (1-based; every hosts' boundaries counted
 * together, so use it with one host). A boundary is the end of a step that ran its commands, and a
 * reboot from which the host came back. The end-to-end tests use it to stop an apply at each
 * boundary of a playbook deterministically, as a {@code kill -9} would: no finally block, no
 * shutdown hook, the SSH connections cut mid-run. Never set it outside a test.
 */
final class KillSwitch {
  static final String ENV = "PLUMB_TEST_KILL_AFTER_STEP";
  private static final int AT = parse(System.getenv(ENV));
  private static final AtomicInteger PASSED = new AtomicInteger();

  private KillSwitch() {}

  /** A step boundary was passed: dies here when it is the one asked for. */
  static void boundary() {
    if (AT > 0 && PASSED.incrementAndGet() == AT) {
      try {
        new ProcessBuilder("kill", "-KILL", String.valueOf(ProcessHandle.current().pid())).inheritIO().start().waitFor();
        Thread.sleep(10_000);
      } catch (Exception e) {
        // Fall through: halting is as abrupt, without the signal.
      }
      Runtime.getRuntime().halt(137);
    }
  }

  private static int parse(String value) {
    try {
      return value == null ? 0 : Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}

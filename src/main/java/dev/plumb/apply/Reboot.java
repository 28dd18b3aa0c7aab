package dev.plumb.apply;

import dev.plumb.transport.Connection;
import dev.plumb.transport.ExecResult;
import dev.plumb.transport.TransportException;
import java.time.Duration;
import java.util.Optional;

/**
 * One reboot of a host: trigger it, then wait, bounded by the run's reboot timeout, until the host
 * answers with a boot_id other than the one read before. Never triggers a second reboot: a host that
 * does not come back with a new boot_id is reported, not retried.
 *
 * <p>Whether a reboot is due at all is the orchestrator's decision ({@link HostRun}); memory of
 * reboots across runs belongs there too, before {@link #run} is called.
 */
final class Reboot {
  /** The command that reboots: detached and delayed, so the session ends before the host goes down. */
  static final String TRIGGER = "(sleep 1; reboot) >/dev/null 2>&1 &";
  static final String READ_BOOT_ID = "cat /proc/sys/kernel/random/boot_id";
  /** A host that is already going down may never answer the trigger; do not wait long for it. */
  private static final Duration TRIGGER_TIMEOUT = Duration.ofSeconds(30);

  /** Opens a fresh connection to the host (the old one dies with the reboot). */
  @FunctionalInterface
  interface Opener {
    Connection open() throws TransportException;
  }

  private final Opener opener;
  private final Duration timeout;
  private final Duration probeTimeout;
  private final Duration poll;

  /**
   * @param timeout how long to wait for the host to come back ({@link RunOptions#rebootTimeout()})
   * @param probeTimeout the longest one boot_id read may take
   * @param poll the pause between two tries
   */
  Reboot(Opener opener, Duration timeout, Duration probeTimeout, Duration poll) {
    this.opener = opener;
    this.timeout = timeout;
    this.probeTimeout = probeTimeout;
    this.poll = poll;
  }

  /**
   * Reboots the host behind {@code connection} (closed here) and waits for a new boot_id.
   *
   * @param oldBootId the boot_id read with the facts before the reboot ("" when unknown)
   * @return empty when the host came back rebooted, else what went wrong
   */
  Optional<String> run(Connection connection, String oldBootId) {
    try {
      connection.exec(TRIGGER, new byte[0], TRIGGER_TIMEOUT);
    } catch (TransportException e) {
      // The session dropping under the reboot is expected: the boot_id alone says whether it worked.
    } finally {
      connection.close();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastError = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!sleep(poll)) {
        lastError = "interrupted while waiting";
        break;
      }
      try (Connection c = opener.open()) {
        ExecResult r = c.exec(READ_BOOT_ID, new byte[0], probeTimeout);
        String now = r.stdoutText().strip();
        if (r.ok() && !now.isEmpty() && !now.equals(oldBootId)) {
          return Optional.empty();
        }
        lastError = "boot_id is still " + now;
      } catch (TransportException e) {
        lastError = e.getMessage();
      } catch (RuntimeException e) {
        // A host going down or coming up may drop a connection right after key exchange; the SSH
        // library then throws its own unchecked "Not connected". Not an answer yet: try again.
        lastError = String.valueOf(e.getMessage());
      }
    }
    return Optional.of("rebooted, but the host did not come back with a new boot_id within "
        + timeout.toSeconds() + " s (" + lastError + ")");
  }

  /** False when the thread was interrupted (the run is being stopped). */
  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

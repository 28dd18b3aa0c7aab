package dev.plumb.apply;

import dev.plumb.plan.RebootPolicy;
import java.time.Duration;

/**
 * How a run behaves.
 *
 * @param mode plan, check or apply
 * @param reboot whether apply may reboot
 * @param forks how many hosts are worked on at once
 * @param factTimeout the longest the fact script may take on one host
 * @param commandTimeout the longest one command may take
 * @param rebootTimeout how long to wait for a rebooted host to come back
 * @param holder who this run is, written on each host whose lease it takes (apply)
 * @param policy which planned changes apply makes (all, or only drift)
 * @param rebootAgain apply --reboot force: reboot even for a cause an earlier reboot of the host did
 *     not make live ({@link RebootMemory}); once, since this run's attempt is remembered in turn
 */
public record RunOptions(
    Mode mode, RebootPolicy reboot, int forks, Duration factTimeout, Duration commandTimeout, Duration rebootTimeout,
    Lease.Holder holder,
    StepPolicy policy,
    boolean rebootAgain) {

  public RunOptions {
    if (forks < 1) {
      throw new IllegalArgumentException("--forks must be at least 1, not " + forks);
    }
  }

  /** Options that honour the reboot memory (no --reboot force). */
  public RunOptions(Mode mode, RebootPolicy reboot, int forks, Duration factTimeout, Duration commandTimeout,
      Duration rebootTimeout, Lease.Holder holder, StepPolicy policy) {
    this(mode, reboot, forks, factTimeout, commandTimeout, rebootTimeout, holder, policy, false);
  }

  public static RunOptions defaults(Mode mode) {
    java.time.Instant now = java.time.Instant.now();
    return new RunOptions(mode, RebootPolicy.NEVER, 50, Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(10),
        Lease.Holder.thisProcess(Lease.Holder.newRunId(now), now), StepPolicy.ALL);
  }

  public RunOptions withReboot(RebootPolicy policy) {
    return new RunOptions(mode, policy, forks, factTimeout, commandTimeout, rebootTimeout, holder, policy(), rebootAgain);
  }

  public RunOptions withForks(int n) {
    return new RunOptions(mode, reboot, n, factTimeout, commandTimeout, rebootTimeout, holder, policy(), rebootAgain);
  }

  /** The same options for another run (a watch cycle): a new run id in the lease holder. */
  public RunOptions withHolder(Lease.Holder h) {
    return new RunOptions(mode, reboot, forks, factTimeout, commandTimeout, rebootTimeout, h, policy(), rebootAgain);
  }

  public RunOptions withPolicy(StepPolicy p) {
    return new RunOptions(mode, reboot, forks, factTimeout, commandTimeout, rebootTimeout, holder, p, rebootAgain);
  }

  public RunOptions withRebootTimeout(Duration d) {
    return new RunOptions(mode, reboot, forks, factTimeout, commandTimeout, d, holder, policy(), rebootAgain);
  }

  /** apply --reboot force: one more reboot even for a cause an earlier reboot did not make live. */
  public RunOptions withRebootAgain(boolean again) {
    return new RunOptions(mode, reboot, forks, factTimeout, commandTimeout, rebootTimeout, holder, policy, again);
  }
}

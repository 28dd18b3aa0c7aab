package dev.plumb.drift;

import java.util.Locale;

/**
 * What kind of difference a change is, judged against the host's record of its last convergence.
 * An operator corrects drift on a schedule; a rollout waits for a reviewed apply.
 */
public enum DriftClass {
  /** The host moved away from the state it last converged to; the declaration did not change. */
  DRIFT,
  /** The declaration changed since the host last converged (a new commit, a new variable). */
  ROLLOUT,
  /** The resource never converged under a recorded run: treated as a rollout. */
  UNKNOWN;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Drift is what a scheduled correction may fix; anything else waits for a reviewed apply. */
  public boolean correctable() {
    return this == DRIFT;
  }
}

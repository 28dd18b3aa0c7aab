package dev.plumb.metrics;

import dev.plumb.apply.HostResult;
import dev.plumb.apply.HostResult.Outcome;
import java.time.Instant;
import java.util.List;

/**
 * The figures of one run that metrics report: plain numbers, so that a textfile, a scrape and a
 * test all see the same thing.
 *
 * @param command plan, check, apply or watch
 * @param finished when the run ended
 * @param seconds wall time of the run
 * @param exitCode what the run exited with (a watch cycle: what check or apply would have)
 * @param hosts one per host, in inventory order
 */
public record RunFigures(String command, Instant finished, double seconds, int exitCode, List<HostFigures> hosts) {
  public RunFigures {
    hosts = List.copyOf(hosts);
  }

  /**
   * One host's figures.
   *
   * @param host the inventory name
   * @param verdict the host's outcome word (converged, changed, locked, failed, unreachable)
   * @param reachable whether its facts could be read
   * @param locked whether another run held its lease
   * @param drifted resources whose difference is drift (the host moved; the declaration did not)
   * @param rolloutPending resources whose difference is a rollout (the declaration moved), or of
   *     unknown class; for apply, what is still waiting after the run
   * @param rebootPending whether the running system differs from its next boot
   */
  public record HostFigures(String host, String verdict, boolean reachable, boolean locked, int drifted,
      int rolloutPending, boolean rebootPending) {}

  /** How many hosts had this verdict. */
  public long count(String verdict) {
    return hosts.stream().filter(h -> h.verdict().equals(verdict)).count();
  }

  /** The verdict words in order, each a label value of the per-host verdict metric. */
  public static List<String> verdicts() {
    return java.util.Arrays.stream(Outcome.values()).map(Outcome::word).toList();
  }

  /** A host's figures from its result; {@code drifted} and {@code rollout} split its remaining differences. */
  public static HostFigures of(HostResult r, int drifted, int rollout) {
    boolean reachable = r.outcome() != Outcome.UNREACHABLE;
    return new HostFigures(r.host(), r.outcome().word(), reachable, r.outcome() == Outcome.LOCKED, drifted, rollout,
        r.rebootPending());
  }
}

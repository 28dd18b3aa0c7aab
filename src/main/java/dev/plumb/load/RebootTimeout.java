package dev.plumb.load;

import dev.plumb.inventory.Host;
import dev.plumb.source.Problems;
import dev.plumb.source.Value;
import java.time.Duration;
import java.util.Optional;

/**
 * A host's own reboot timeout, the variable {@code plumb_reboot_timeout} (inventory, group or host
 * vars, or {@code -e}): how long apply waits for the host to come back from its reboot. It wins over
 * {@code --reboot-timeout}, which is the default for hosts that do not set it. Checked at load time.
 */
public final class RebootTimeout {
  public static final String VAR = "plumb_reboot_timeout";

  private RebootTimeout() {}

  /** The host's reboot timeout, if it sets one (the loader has checked that it is valid). */
  public static Optional<Duration> of(Host host) {
    return host.var(VAR).flatMap(Durations::parse);
  }

  /** Reports a value that is not a duration at its file:line:col. */
  static void check(Host host, Problems problems) {
    Value v = host.vars().get(VAR);
    if (v == null || v instanceof Value.Null) {
      return;
    }
    if (!(v instanceof Value.Scalar s) || Durations.parse(s.text()).isEmpty()) {
      problems.error(v.mark(), VAR + " must be a duration like 600, 90s, 15m or 1h, got " + ParamCheck.describe(v),
          "write e.g. " + VAR + ": 15m (how long apply waits for the host to come back from a reboot)");
    }
  }
}

package dev.plumb.load;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them: a number of seconds, or a number with s, m or h ({@code 90s, 15m, 1h}). */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\s*([smh]?)");

  private Durations() {}

  /** The duration {@code text} says, if it is one and longer than zero. */
  public static Optional<Duration> parse(String text) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    });
  }
}

package dev.plumb.cli;

import java.util.Locale;
import java.util.Set;

/** The output formats. */
final class Formats {
  private Formats() {}

  private static final Set<String> ALL = Set.of("text", "json", "markdown", "junit");

  static void check(String format) {
    if (!ALL.contains(format.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("--format takes text, json, markdown or junit, not '" + format + "'");
    }
  }

  /** JUnit reports verdicts, which plan has none of. */
  static void check(String format, dev.plumb.apply.Mode mode) {
    check(format);
    if (format.equalsIgnoreCase("junit") && mode == dev.plumb.apply.Mode.PLAN) {
      throw new IllegalArgumentException("--format junit is for check and apply (it reports drift and failures); "
          + "plan takes text, json or markdown");
    }
  }
}

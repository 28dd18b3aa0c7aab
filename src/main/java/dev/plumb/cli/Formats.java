package dev.plumb.cli;

import java.util.Locale;
import java.util.Set;

/** The output formats. */
final class Formats {
  private Formats() {}

  private static final Set<String> ALL = Set.of("text", "json", "markdown");

  static void check(String format) {
    if (!ALL.contains(format.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("--format takes text, json or markdown, not '" + format + "'");
    }
  }
}

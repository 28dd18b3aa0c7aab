package dev.plumb.text;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The one quoting function: every user value that reaches a shell goes through {@link #quote}.
 *
 * <p>POSIX single quotes: everything inside is literal except the quote itself, which is closed,
 * escaped and reopened. Works for any string, including newlines, NULs aside (a C string cannot
 * carry them: {@link #quote} refuses them rather than truncating silently).
 */
public final class Shell {
  private Shell() {}

  private static final java.util.regex.Pattern SAFE =
      java.util.regex.Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  /** One word, quoted for /bin/sh when it needs to be (plain words stay readable). */
  public static String quote(String word) {
    if (word.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a shell word cannot contain a NUL byte: " + word);
    }
    if (!word.isEmpty() && SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** An argv list as one command line for /bin/sh. */
  public static String join(List<String> argv) {
    return argv.stream().map(Shell::quote).collect(Collectors.joining(" "));
  }
}

package dev.plumb.source;

/**
 * One thing wrong with the user's input: where, what, and how to fix it.
 *
 * <p>Rendered as {@code file:line:col: error: message} followed by an indented {@code fix:} line.
 */
public record Problem(Mark mark, Severity severity, String message, String fix) {

  public enum Severity {
    ERROR,
    WARNING
  }

  public static Problem error(Mark mark, String message, String fix) {
    return new Problem(mark, Severity.ERROR, message, fix);
  }

  public static Problem warning(Mark mark, String message, String fix) {
    return new Problem(mark, Severity.WARNING, message, fix);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** The message as the user sees it, on one or two lines. */
  public String render() {
    String head = mark + ": " + severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
    return fix == null || fix.isEmpty() ? head : head + "\n    fix: " + fix;
  }
}

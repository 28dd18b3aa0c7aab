package dev.plumb.transport;

/**
 * The host could not be reached, or a command's outcome is unknown (connection dropped, no exit
 * status, timeout). Never treated as success. Code branches on {@link #kind()}, never on the
 * message, which is for people.
 */
public final class TransportException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, for code that must tell the cases apart. */
  public enum Kind {
    /** The host could not be connected to at all (refused, no route, authentication, host key). */
    UNREACHABLE,
    /** The connection dropped or broke while a command ran: its outcome is unknown. */
    LOST,
    /** A command ran past its timeout and was stopped; the connection itself is still usable. */
    TIMED_OUT,
    /** A command ran to its end, but what it returned is not usable (a fact script that failed). */
    BAD_OUTPUT
  }

  private final Kind kind;

  public TransportException(String message, Kind kind, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public TransportException(String message, Kind kind) {
    this(message, kind, null);
  }

  /** {@code unreachable} true: {@link Kind#UNREACHABLE}; false: {@link Kind#LOST}. */
  public TransportException(String message, boolean unreachable, Throwable cause) {
    this(message, unreachable ? Kind.UNREACHABLE : Kind.LOST, cause);
  }

  public TransportException(String message, boolean unreachable) {
    this(message, unreachable, null);
  }

  /** A command ran past its timeout and was stopped; the connection itself is still usable. */
  public static TransportException timeout(String message, Throwable cause) {
    return new TransportException(message, Kind.TIMED_OUT, cause);
  }

  public Kind kind() {
    return kind;
  }

  public boolean timedOut() {
    return kind == Kind.TIMED_OUT;
  }

  /** True when the host could not be connected to at all (as opposed to failing mid-run). */
  public boolean unreachable() {
    return kind == Kind.UNREACHABLE;
  }
}

package dev.plumb.transport;

/**
 * The host could not be reached, or a command's outcome is unknown (connection dropped, no exit
 * status, timeout). Never treated as success.
 */
public final class TransportException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean unreachable;
  private final boolean timedOut;

  public TransportException(String message, boolean unreachable, Throwable cause) {
    this(message, unreachable, false, cause);
  }

  private TransportException(String message, boolean unreachable, boolean timedOut, Throwable cause) {
    super(message, cause);
    this.unreachable = unreachable;
    this.timedOut = timedOut;
  }

  /** A command ran past its timeout and was stopped; the connection itself is still usable. */
  public static TransportException timeout(String message, Throwable cause) {
    return new TransportException(message, false, true, cause);
  }

  public TransportException(String message, boolean unreachable) {
    this(message, unreachable, null);
  }

  public boolean timedOut() {
    return timedOut;
  }

  /** True when the host could not be connected to at all (as opposed to failing mid-run). */
  public boolean unreachable() {
    return unreachable;
  }
}

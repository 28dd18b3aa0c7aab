package dev.plumb.transport;

/**
 * The host could not be reached, or a command's outcome is unknown (connection dropped, no exit
 * status, timeout). Never treated as success.
 */
public final class TransportException extends Exception {
  private static final long serialVersionUID = 1L;
  private final boolean unreachable;

  public TransportException(String message, boolean unreachable, Throwable cause) {
    super(message, cause);
    this.unreachable = unreachable;
  }

  public TransportException(String message, boolean unreachable) {
    this(message, unreachable, null);
  }

  /** True when the host could not be connected to at all (as opposed to failing mid-run). */
  public boolean unreachable() {
    return unreachable;
  }
}

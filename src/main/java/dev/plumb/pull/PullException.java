package dev.plumb.pull;

/** Why a pull could not go on, with what to do about it. */
public abstract sealed class PullException extends RuntimeException {
  private final String fix;

  PullException(String message, String fix) {
    super(message);
    this.fix = fix;
  }

  public String fix() {
    return fix;
  }

  /** The remote could not be reached or read; the cache keeps what it had. */
  public static final class Fetch extends PullException {
    Fetch(String message, String fix) {
      super(message, fix);
    }
  }

  /** The fetched commit is not signed by an allowed key: nothing of it is loaded. */
  public static final class Untrusted extends PullException {
    Untrusted(String message, String fix) {
      super(message, fix);
    }
  }

  /** This machine is not a host of the inventory. */
  public static final class NoHost extends PullException {
    NoHost(String message, String fix) {
      super(message, fix);
    }
  }
}

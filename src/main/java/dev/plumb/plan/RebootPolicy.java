package dev.plumb.plan;

/** Whether a run may reboot a host whose changes take effect only after a reboot. */
public enum RebootPolicy {
  /** Report "reboot pending"; never reboot (the default). */
  NEVER,
  /** Reboot once, at the end of the host's plan, when a change or the running state needs it. */
  IF_NEEDED;

  public static RebootPolicy parse(String text) {
    return switch (text) {
      case "never" -> NEVER;
      case "if-needed" -> IF_NEEDED;
      default -> throw new IllegalArgumentException(
          "--reboot takes 'never' or 'if-needed', not '" + text + "'");
    };
  }
}

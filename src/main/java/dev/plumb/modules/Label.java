package dev.plumb.modules;

/** How much plumb knows about a change. */
public enum Label {
  /** Diffed against facts read from the host now. */
  OBSERVED,
  /** Diffed against the state an earlier step of this plan will leave. */
  PREDICTED,
  /** A command plumb cannot see into: check reports it, apply runs it. */
  OPAQUE;

  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

package dev.plumb.apply;

/** What a run does with each host's plan. */
public enum Mode {
  /** Read facts and plan; never change a host. */
  PLAN,
  /** Like plan, for schedules: the verdict is the point. */
  CHECK,
  /** Run the plan, then re-read facts and verify. */
  APPLY
}

package dev.plumb.apply;

/**
 * What happened to one step during apply.
 *
 * @param id the step's resource id
 * @param status ok, changed, failed, blocked, skipped, or deferred to after the reboot
 * @param message why it failed or was skipped ("" when ok)
 * @param commandsRun how many of its commands ran
 */
public record StepResult(String id, Status status, String message, int commandsRun) {

  public enum Status {
    OK,
    CHANGED,
    FAILED,
    BLOCKED,
    SKIPPED,
    /** Blocked until the planned reboot; planned again after it. */
    DEFERRED,
    /** Left by the run's policy (apply --only drift): a rollout waiting for a reviewed apply. */
    WAITING;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean failed() {
      return this == FAILED || this == BLOCKED;
    }
  }
}

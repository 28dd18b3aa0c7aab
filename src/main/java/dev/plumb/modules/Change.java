package dev.plumb.modules;

import dev.plumb.facts.FactResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a resource's diff found: the action, a one-line before/after, a unified diff where text is
 * involved, the exact commands, when it takes effect, and how sure plumb is.
 *
 * @param action what the change does
 * @param before the current state in a few words (or "absent")
 * @param after the declared state in a few words
 * @param diff a unified diff ("" when no text is involved)
 * @param commands what apply runs, in order
 * @param takesEffect now, after a restart, or after a reboot
 * @param label observed, predicted or opaque
 * @param notes facts the operator should know that are not changes ("reboot pending: …")
 * @param blockers preconditions that fail: apply refuses this step and says why
 * @param writes the content each written path will have afterwards ({@code Missing} for a
 *     delete), so that later steps are planned against it
 * @param rebootPending the running system differs from what the next boot will give
 */
public record Change(
    Action action,
    String before,
    String after,
    String diff,
    List<Command> commands,
    TakesEffect takesEffect,
    Label label,
    List<String> notes,
    List<String> blockers,
    Map<String, FactResult> writes,
    boolean rebootPending) {

  public Change {
    commands = List.copyOf(commands);
    notes = List.copyOf(notes);
    blockers = List.copyOf(blockers);
    writes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(writes));
    diff = diff == null ? "" : diff;
  }

  /** Converged: nothing to do. */
  public static Change none(String state) {
    return new Change(Action.NONE, state, state, "", List.of(), TakesEffect.NOW, Label.OBSERVED,
        List.of(), List.of(), Map.of(), false);
  }

  /** A change with commands; refine it with the {@code with*} methods. */
  public static Change of(Action action, String before, String after, List<Command> commands) {
    return new Change(action, before, after, "", commands, TakesEffect.NOW, Label.OBSERVED,
        List.of(), List.of(), Map.of(), false);
  }

  public boolean changes() {
    return action != Action.NONE;
  }

  public Change withDiff(String unifiedDiff) {
    return copy().diff(unifiedDiff).build();
  }

  public Change withTakesEffect(TakesEffect when) {
    return copy().takesEffect(when).build();
  }

  public Change withLabel(Label l) {
    return copy().label(l).build();
  }

  public Change withNote(String note) {
    Copy c = copy();
    c.notes.add(note);
    return c.build();
  }

  public Change withBlocker(String blocker) {
    Copy c = copy();
    c.blockers.add(blocker);
    return c.build();
  }

  /** Records that {@code path} will hold {@code content} after this change. */
  public Change withWrite(String path, FactResult content) {
    Copy c = copy();
    c.writes.put(path, content);
    return c.build();
  }

  public Change withRebootPending(boolean pending) {
    return copy().rebootPending(pending).build();
  }

  public Change withCommands(List<Command> cmds) {
    return copy().commands(cmds).build();
  }

  /** Appends another change's commands, writes, notes and blockers (for composite resources). */
  public Change plus(Change other) {
    Copy c = copy();
    c.commands.addAll(other.commands);
    c.notes.addAll(other.notes);
    c.blockers.addAll(other.blockers);
    c.writes.putAll(other.writes);
    c.diff = diff.isEmpty() ? other.diff : other.diff.isEmpty() ? diff : diff + other.diff;
    c.action = action == Action.NONE ? other.action : action;
    c.rebootPending = rebootPending || other.rebootPending;
    return c.build();
  }

  private Copy copy() {
    return new Copy(this);
  }

  /**
   * A mutable copy of a change, so each {@code with*} names only the field it changes: a new
   * field is added here and in the canonical constructor, and no wither has to change.
   */
  private static final class Copy {
    private Action action;
    private final String before;
    private final String after;
    private String diff;
    private List<Command> commands;
    private TakesEffect takesEffect;
    private Label label;
    private final List<String> notes;
    private final List<String> blockers;
    private final Map<String, FactResult> writes;
    private boolean rebootPending;

    private Copy(Change c) {
      action = c.action;
      before = c.before;
      after = c.after;
      diff = c.diff;
      commands = new ArrayList<>(c.commands);
      takesEffect = c.takesEffect;
      label = c.label;
      notes = new ArrayList<>(c.notes);
      blockers = new ArrayList<>(c.blockers);
      writes = new LinkedHashMap<>(c.writes);
      rebootPending = c.rebootPending;
    }

    private Copy diff(String d) {
      diff = d;
      return this;
    }

    private Copy takesEffect(TakesEffect t) {
      takesEffect = t;
      return this;
    }

    private Copy label(Label l) {
      label = l;
      return this;
    }

    private Copy rebootPending(boolean p) {
      rebootPending = p;
      return this;
    }

    private Copy commands(List<Command> c) {
      commands = new ArrayList<>(c);
      return this;
    }

    private Change build() {
      return new Change(action, before, after, diff, commands, takesEffect, label, notes, blockers,
          writes, rebootPending);
    }
  }
}

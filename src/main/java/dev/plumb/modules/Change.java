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
    return new Change(action, before, after, unifiedDiff, commands, takesEffect, label, notes, blockers, writes, rebootPending);
  }

  public Change withTakesEffect(TakesEffect when) {
    return new Change(action, before, after, diff, commands, when, label, notes, blockers, writes, rebootPending);
  }

  public Change withLabel(Label l) {
    return new Change(action, before, after, diff, commands, takesEffect, l, notes, blockers, writes, rebootPending);
  }

  public Change withNote(String note) {
    List<String> n = new ArrayList<>(notes);
    n.add(note);
    return new Change(action, before, after, diff, commands, takesEffect, label, n, blockers, writes, rebootPending);
  }

  public Change withBlocker(String blocker) {
    List<String> b = new ArrayList<>(blockers);
    b.add(blocker);
    return new Change(action, before, after, diff, commands, takesEffect, label, notes, b, writes, rebootPending);
  }

  /** Records that {@code path} will hold {@code content} after this change. */
  public Change withWrite(String path, FactResult content) {
    Map<String, FactResult> w = new LinkedHashMap<>(writes);
    w.put(path, content);
    return new Change(action, before, after, diff, commands, takesEffect, label, notes, blockers, w, rebootPending);
  }

  public Change withRebootPending(boolean pending) {
    return new Change(action, before, after, diff, commands, takesEffect, label, notes, blockers, writes, pending);
  }

  public Change withCommands(List<Command> cmds) {
    return new Change(action, before, after, diff, cmds, takesEffect, label, notes, blockers, writes, rebootPending);
  }

  /** Appends another change's commands, writes, notes and blockers (for composite resources). */
  public Change plus(Change other) {
    List<Command> cmds = new ArrayList<>(commands);
    cmds.addAll(other.commands);
    List<String> n = new ArrayList<>(notes);
    n.addAll(other.notes);
    List<String> b = new ArrayList<>(blockers);
    b.addAll(other.blockers);
    Map<String, FactResult> w = new LinkedHashMap<>(writes);
    w.putAll(other.writes);
    String d = diff.isEmpty() ? other.diff : other.diff.isEmpty() ? diff : diff + other.diff;
    Action a = action == Action.NONE ? other.action : action;
    return new Change(a, before, after, d, cmds, takesEffect, label, n, b, w, rebootPending || other.rebootPending);
  }
}

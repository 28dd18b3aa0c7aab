package dev.plumb.plan;

import dev.plumb.facts.FactResult;
import dev.plumb.modules.Change;
import dev.plumb.text.TextDiff;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one host's plan made from the work tree does differently from its plan made from a git ref,
 * on the same facts: the changes the work tree adds, removes or alters. Pure.
 */
public final class PlanDelta {
  private PlanDelta() {}

  public enum Kind {
    /** Only the work tree changes this resource. */
    ADDED,
    /** Only the ref changed it; the work tree leaves it alone. */
    REMOVED,
    /** Both change it, differently. */
    ALTERED;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One resource whose planned change differs.
   *
   * @param id the resource id
   * @param kind added, removed or altered
   * @param atRef its step at the ref (empty when added)
   * @param now its step in the work tree's plan (empty when removed)
   * @param difference for altered: how the result differs, as unified diffs of what each writes,
   *     else of the commands
   */
  public record StepDelta(String id, Kind kind, Optional<Step> atRef, Optional<Step> now, String difference) {}

  /** The deltas in the work tree's step order, removed ones after. */
  public static List<StepDelta> between(HostPlan atRef, HostPlan now) {
    Map<String, Step> ref = new LinkedHashMap<>();
    atRef.steps().forEach(s -> ref.put(s.id(), s));
    Map<String, Step> cur = new LinkedHashMap<>();
    now.steps().forEach(s -> cur.put(s.id(), s));
    List<StepDelta> out = new ArrayList<>();
    for (Step s : now.steps()) {
      Step r = ref.get(s.id());
      boolean changesNow = s.changes() || !s.change().blockers().isEmpty();
      boolean changedAtRef = r != null && (r.changes() || !r.change().blockers().isEmpty());
      if (changesNow && !changedAtRef) {
        out.add(new StepDelta(s.id(), Kind.ADDED, Optional.ofNullable(r), Optional.of(s), ""));
      } else if (changesNow && !same(r.change(), s.change())) {
        out.add(new StepDelta(s.id(), Kind.ALTERED, Optional.of(r), Optional.of(s), difference(r.change(), s.change())));
      }
    }
    for (Step r : atRef.steps()) {
      Step s = cur.get(r.id());
      boolean changedAtRef = r.changes() || !r.change().blockers().isEmpty();
      boolean changesNow = s != null && (s.changes() || !s.change().blockers().isEmpty());
      if (changedAtRef && !changesNow) {
        out.add(new StepDelta(r.id(), Kind.REMOVED, Optional.of(r), Optional.ofNullable(s), ""));
      }
    }
    return out;
  }

  /** Equal in what apply would do and what a reader is told. */
  static boolean same(Change a, Change b) {
    return a.action() == b.action() && a.before().equals(b.before()) && a.after().equals(b.after())
        && a.diff().equals(b.diff()) && a.commands().equals(b.commands()) && a.blockers().equals(b.blockers())
        && a.takesEffect().equals(b.takesEffect());
  }

  /**
   * Unified diffs of each file either writes (ref as "before"), else of the commands; and of the
   * blockers whenever they differ: a change the work tree blocks (a device id no host has) must
   * say so beside the files it no longer writes.
   */
  static String difference(Change atRef, Change now) {
    StringBuilder out = new StringBuilder();
    Set<String> paths = new LinkedHashSet<>(atRef.writes().keySet());
    paths.addAll(now.writes().keySet());
    for (String path : paths) {
      String before = text(atRef.writes().get(path));
      String after = text(now.writes().get(path));
      if (!before.equals(after)) {
        out.append(TextDiff.unified(path, before, after));
      }
    }
    if (out.length() == 0) {
      String before = lines(atRef);
      String after = lines(now);
      if (!before.equals(after)) {
        out.append(TextDiff.unified("plan", before, after));
      }
    } else if (!atRef.blockers().equals(now.blockers())) {
      out.append(TextDiff.unified("blockers", blockers(atRef), blockers(now)));
    }
    return out.toString();
  }

  private static String blockers(Change c) {
    StringBuilder out = new StringBuilder();
    c.blockers().forEach(b -> out.append("blocked: ").append(b).append('\n'));
    return out.toString();
  }

  private static String lines(Change c) {
    StringBuilder out = new StringBuilder();
    out.append(c.action().word()).append(": ").append(c.before()).append(" -> ").append(c.after()).append('\n');
    c.commands().forEach(cmd -> out.append("$ ").append(cmd.shown()).append('\n'));
    out.append(blockers(c));
    return out.toString();
  }

  private static String text(FactResult r) {
    return r instanceof FactResult.Content c ? new String(c.bytes(), StandardCharsets.UTF_8) : "";
  }
}

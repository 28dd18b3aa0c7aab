package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.plan.PlanDelta;
import dev.plumb.plan.Step;
import dev.plumb.text.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The difference {@link Against} found, per host, as text, markdown (a pull request comment) or JSON. */
final class AgainstReport {
  private AgainstReport() {}

  /** One host's difference, or why it has none. */
  record HostDelta(String host, HostResult.Outcome outcome, List<String> problems, List<PlanDelta.StepDelta> deltas) {}

  // ---- text

  static String text(List<HostDelta> hosts, String ref, Style style, double seconds) {
    StringBuilder out = new StringBuilder();
    out.append(style.bold("Against " + ref + ": what the work tree changes in the plan, on the same facts.")).append("\n\n");
    for (HostGroups.Group<HostDelta> g : HostGroups.of(hosts, h -> List.of(h.outcome(), h.problems(), body(h, style)))) {
      HostDelta first = g.members().get(0);
      out.append(style.bold(HostGroups.heading(g.members().stream().map(HostDelta::host).toList()))).append("  ")
          .append(verdict(first)).append('\n').append(body(first, style)).append('\n');
    }
    out.append(summary(hosts)).append(String.format(Locale.ROOT, " (%.2f s)", seconds)).append('\n');
    return out.toString();
  }

  private static String verdict(HostDelta h) {
    if (h.outcome() == HostResult.Outcome.FAILED || h.outcome() == HostResult.Outcome.UNREACHABLE) {
      return h.outcome().word();
    }
    if (h.deltas().isEmpty()) {
      return "no difference";
    }
    Map<PlanDelta.Kind, Integer> counts = new LinkedHashMap<>();
    h.deltas().forEach(d -> counts.merge(d.kind(), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    counts.forEach((k, n) -> parts.add(n + " " + k.word()));
    return String.join(", ", parts);
  }

  private static String body(HostDelta h, Style style) {
    StringBuilder out = new StringBuilder();
    h.problems().forEach(p -> out.append("  ").append(style.red("! " + p)).append('\n'));
    for (PlanDelta.StepDelta d : h.deltas()) {
      switch (d.kind()) {
        case ADDED -> {
          Step s = d.now().orElseThrow();
          out.append("  ").append(style.green("+ " + s.id())).append("  ")
              .append(style.dim("(added: " + describe(s.change()) + ")")).append('\n');
          indent(out, s.change().diff(), style);
          s.change().commands().forEach(c -> out.append("      ").append(style.dim("$ ")).append(c.shown()).append('\n'));
          s.change().blockers().forEach(b -> out.append("      ").append(style.red("blocked: " + b)).append('\n'));
        }
        case REMOVED -> out.append("  ").append(style.red("- " + d.id())).append("  ")
            .append(style.dim("(removed: at the ref it would " + describe(d.atRef().orElseThrow().change())
                + "; the work tree leaves it alone)"))
            .append('\n');
        case ALTERED -> {
          out.append("  ").append(style.yellow("~ " + d.id())).append("  ")
              .append(style.dim("(altered: " + describe(d.now().orElseThrow().change()) + "; diff from the ref's plan to the work tree's)"))
              .append('\n');
          indent(out, d.difference(), style);
        }
      }
    }
    return out.toString();
  }

  private static String describe(Change c) {
    return c.changes() ? c.action().word() + ", " + c.before() + " -> " + c.after() : "blocked";
  }

  private static void indent(StringBuilder out, String diff, Style style) {
    for (String line : diff.split("\n", -1)) {
      if (!line.isEmpty()) {
        out.append("      ").append(style.diffLine(line)).append('\n');
      }
    }
  }

  private static String summary(List<HostDelta> hosts) {
    Map<PlanDelta.Kind, Integer> counts = new LinkedHashMap<>();
    for (PlanDelta.Kind k : PlanDelta.Kind.values()) {
      counts.put(k, 0);
    }
    hosts.forEach(h -> h.deltas().forEach(d -> counts.merge(d.kind(), 1, Integer::sum)));
    long differing = hosts.stream().filter(h -> !h.deltas().isEmpty()).count();
    long down = hosts.stream().filter(h -> h.outcome() == HostResult.Outcome.FAILED
        || h.outcome() == HostResult.Outcome.UNREACHABLE).count();
    return "Difference: " + counts.get(PlanDelta.Kind.ADDED) + " added, " + counts.get(PlanDelta.Kind.ALTERED) + " altered, "
        + counts.get(PlanDelta.Kind.REMOVED) + " removed, on " + differing + " of " + hosts.size() + " host"
        + (hosts.size() == 1 ? "" : "s") + "." + (down > 0 ? " " + down + " failed or unreachable." : "");
  }

  // ---- markdown

  static String markdown(List<HostDelta> hosts, String ref, String playbook) {
    StringBuilder out = new StringBuilder();
    out.append("### plumb plan `").append(playbook).append("` against ").append(ref).append("\n\n");
    List<HostGroups.Group<HostDelta>> groups = HostGroups.of(hosts,
        h -> List.of(h.outcome(), h.problems(), body(h, new Style(false))));
    out.append("| hosts | difference |\n|---|---|\n");
    for (HostGroups.Group<HostDelta> g : groups) {
      out.append("| ").append(HostGroups.heading(g.members().stream().map(HostDelta::host).toList())).append(" | ")
          .append(verdict(g.members().get(0))).append(" |\n");
    }
    out.append('\n');
    int limit = MarkdownRenderer.LIMIT - 400;
    for (int i = 0; i < groups.size(); i++) {
      HostDelta first = groups.get(i).members().get(0);
      String body = body(first, new Style(false));
      if (body.isEmpty()) {
        continue;
      }
      String block = "<details><summary><b>" + HostGroups.heading(groups.get(i).members().stream().map(HostDelta::host).toList())
          + "</b>: " + verdict(first) + "</summary>\n\n```diff\n" + body + "```\n</details>\n\n";
      if (out.length() + block.length() > limit) {
        out.append("**Cut to fit a comment:** ").append(groups.size() - i).append(" of ").append(groups.size())
            .append(" blocks left out. The full difference is in the output of the same command with --format text.\n");
        break;
      }
      out.append(block);
    }
    out.append(summary(hosts)).append('\n');
    return out.toString();
  }

  // ---- json

  static String json(List<HostDelta> hosts, String ref, String commit, String playbook, int exit) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format_version", JsonRenderer.FORMAT_VERSION);
    root.put("plumb_version", Main.VERSION);
    root.put("command", "plan");
    root.put("playbook", playbook);
    root.put("against", Map.of("ref", ref, "commit", commit));
    root.put("exit_code", exit);
    List<Object> list = new ArrayList<>();
    for (HostDelta h : hosts) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", h.host());
      m.put("outcome", h.outcome().word());
      m.put("problems", h.problems());
      List<Object> ds = new ArrayList<>();
      for (PlanDelta.StepDelta d : h.deltas()) {
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("id", d.id());
        dm.put("kind", d.kind().word());
        dm.put("difference", d.difference());
        d.atRef().ifPresent(s -> dm.put("at_ref", step(s)));
        d.now().ifPresent(s -> dm.put("now", step(s)));
        ds.add(dm);
      }
      m.put("differences", ds);
      list.add(m);
    }
    root.put("hosts", list);
    return Json.pretty(root) + "\n";
  }

  private static Map<String, Object> step(Step s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("action", s.change().action().jsonName());
    m.put("before", s.change().before());
    m.put("after", s.change().after());
    m.put("diff", s.change().diff());
    m.put("commands", s.change().commands().stream().map(Command::shown).toList());
    m.put("blockers", s.change().blockers());
    return m;
  }
}

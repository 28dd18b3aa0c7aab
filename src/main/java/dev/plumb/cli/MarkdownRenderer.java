package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.Step;
import java.util.List;

/**
 * The report as Markdown for a pull-request comment: a summary table, then one collapsible block
 * per group of hosts with the same changes. Forges cap a comment (GitHub at 65,536 characters), so
 * past {@link #LIMIT} the blocks that do not fit are left out and a last line says how much and
 * where the full plan is.
 */
final class MarkdownRenderer {
  static final int LIMIT = 65_000;

  private final int limit;
  private final String fullPlanAt;

  /** {@code fullPlanAt}: where a reader finds the whole plan when the comment is cut. */
  MarkdownRenderer(String fullPlanAt) {
    this(LIMIT, fullPlanAt);
  }

  MarkdownRenderer(int limit, String fullPlanAt) {
    this.limit = limit;
    this.fullPlanAt = fullPlanAt;
  }

  MarkdownRenderer() {
    this(LIMIT, "the output of the same command with --format text");
  }

  String render(RunReport report) {
    // The drift class of each change is part of the key: a host where a change is drift is never
    // grouped with one where the same change is a rollout.
    List<HostGroups.Group<HostResult>> groups = HostGroups.of(report.hosts(),
        h -> List.of(row(h, report), details(h, report), report.classesOf(h.host())));
    StringBuilder out = new StringBuilder();
    out.append("### plumb ").append(report.verb()).append(": `").append(report.playbook()).append("`\n\n");
    out.append("| hosts | verdict | changes | drift | rollout | reboot |\n|---|---|---|---|---|---|\n");
    for (HostGroups.Group<HostResult> g : groups) {
      out.append("| ").append(names(g)).append(" | ").append(row(g.members().get(0), report)).append(" |\n");
    }
    out.append('\n');
    return blocks(out, report, groups.stream().filter(g -> !details(g.members().get(0), report).isEmpty()).toList());
  }

  /** Appends one block per group while it fits; then says what was left out. */
  private String blocks(StringBuilder out, RunReport report, List<HostGroups.Group<HostResult>> groups) {
    for (int i = 0; i < groups.size(); i++) {
      HostGroups.Group<HostResult> g = groups.get(i);
      HostResult first = g.members().get(0);
      int changes = changes(first);
      String block = "<details><summary><b>" + names(g) + "</b>: " + first.outcome().word() + ", " + changes
          + " change" + (changes == 1 ? "" : "s") + "</summary>\n\n" + details(first, report) + "</details>\n\n";
      // Room for the closing line, so what is printed never passes the limit.
      if (out.length() + block.length() > limit - 400) {
        int leftChars = groups.subList(i, groups.size()).stream().mapToInt(x -> details(x.members().get(0), report).length()).sum();
        int leftHosts = groups.subList(i, groups.size()).stream().mapToInt(x -> x.members().size()).sum();
        out.append("**Cut to fit a comment:** ").append(groups.size() - i).append(" of ").append(groups.size())
            .append(" blocks (").append(leftHosts).append(" host").append(leftHosts == 1 ? "" : "s").append(", about ")
            .append(leftChars).append(" characters) left out. The full plan is in ").append(fullPlanAt).append(".\n");
        break;
      }
      out.append(block);
    }
    return out.toString();
  }

  private static String names(HostGroups.Group<HostResult> g) {
    List<String> names = g.members().stream().map(HostResult::host).toList();
    return names.size() == 1 ? names.get(0) : names.size() + " hosts: " + HostGroups.compact(names);
  }

  private static int changes(HostResult h) {
    return h.plan().map(p -> p.changes().size()).orElse(0);
  }

  private static String row(HostResult h, RunReport report) {
    String reboot = h.rebooted() ? "rebooted" : h.rebootPending() ? "pending" : "";
    DriftCounts counts = DriftCounts.of(h, report);
    return h.outcome().word() + " | " + changes(h) + " | " + counts.drift() + " | " + counts.rollout() + " | " + reboot;
  }

  /** The body of a host's block; empty when there is nothing to show. */
  private static String details(HostResult h, RunReport report) {
    if (changes(h) == 0 && h.problems().isEmpty() && h.leasedBy().isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    h.problems().forEach(p -> out.append("- **").append(p.replace("\n", " ")).append("**\n"));
    if (h.outcome() != HostResult.Outcome.LOCKED) {
      h.leasedBy().ifPresent(by -> out.append("- apply in progress by ").append(by).append('\n'));
    }
    h.plan().ifPresent(p -> steps(out, p, h.host(), report));
    return out.toString();
  }

  private static void steps(StringBuilder out, HostPlan plan, String host, RunReport report) {
    for (Step s : plan.changes()) {
      Change c = s.change();
      out.append("#### `").append(c.action().symbol()).append(' ').append(s.id()).append("` ")
          .append(c.action().word()).append(", ").append(c.label().word())
          .append(s.handler() ? "" : ", " + report.classOf(host, s.id()).word())
          .append(", takes effect ").append(c.takesEffect().describe()).append("\n\n");
      if (!c.diff().isEmpty()) {
        out.append("```diff\n").append(c.diff()).append(c.diff().endsWith("\n") ? "" : "\n").append("```\n\n");
      }
      if (!c.commands().isEmpty()) {
        out.append("```sh\n");
        for (Command cmd : c.commands()) {
          out.append(cmd.shown()).append('\n');
        }
        out.append("```\n\n");
      }
      c.notes().forEach(n -> out.append("- note: ").append(n).append('\n'));
      c.blockers().forEach(b -> out.append("- **blocked**: ").append(b).append('\n'));
    }
    if (plan.rebootPlanned()) {
      out.append("- reboot at the end of the plan\n");
    } else if (plan.rebootPending()) {
      out.append("- reboot pending\n");
    }
    out.append('\n');
  }
}

package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.Step;

/** The report as Markdown for a pull-request comment: a summary table, then one collapsible block per host. */
final class MarkdownRenderer {

  String render(RunReport report) {
    StringBuilder out = new StringBuilder();
    out.append("### plumb ").append(report.verb()).append(": `").append(report.playbook()).append("`\n\n");
    out.append("| host | verdict | changes | drift | rollout | reboot |\n|---|---|---|---|---|---|\n");
    for (HostResult h : report.hosts()) {
      int changes = h.plan().map(p -> p.changes().size()).orElse(0);
      String reboot = h.rebooted() ? "rebooted" : h.rebootPending() ? "pending" : "";
      DriftCounts counts = DriftCounts.of(h, report);
      out.append("| ").append(h.host()).append(" | ").append(h.outcome().word()).append(" | ")
          .append(changes).append(" | ").append(counts.drift()).append(" | ").append(counts.rollout()).append(" | ")
          .append(reboot).append(" |\n");
    }
    out.append('\n');
    for (HostResult h : report.hosts()) {
      int changes = h.plan().map(p -> p.changes().size()).orElse(0);
      if (changes == 0 && h.problems().isEmpty() && h.leasedBy().isEmpty()) {
        continue;
      }
      out.append("<details><summary><b>").append(h.host()).append("</b>: ").append(h.outcome().word())
          .append(", ").append(changes).append(" change").append(changes == 1 ? "" : "s").append("</summary>\n\n");
      h.problems().forEach(p -> out.append("- **").append(p.replace("\n", " ")).append("**\n"));
      if (h.outcome() != HostResult.Outcome.LOCKED) {
        h.leasedBy().ifPresent(by -> out.append("- apply in progress by ").append(by).append('\n'));
      }
      h.plan().ifPresent(p -> steps(out, p, h.host(), report));
      out.append("</details>\n\n");
    }
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

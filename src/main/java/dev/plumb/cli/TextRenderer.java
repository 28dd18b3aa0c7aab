package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.apply.HostResult.Outcome;
import dev.plumb.apply.Mode;
import dev.plumb.apply.StepResult;
import dev.plumb.drift.DriftClass;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.modules.TakesEffect;
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.Step;
import dev.plumb.source.Problem;
import java.util.List;
import java.util.Map;

/**
 * The text report, read like a Terraform plan: per host, each change with its mark, diff, exact
 * commands and when it takes effect; then one summary line. Converged resources are counted, not
 * listed.
 *
 * <p>Just over 250 lines: one report, host by host and step by step, whose pieces are only used
 * together.
 */
final class TextRenderer {
  private final Style style;

  TextRenderer(Style style) {
    this.style = style;
  }

  /** The report being rendered: each change's drift class is looked up in it. */
  private RunReport report;

  String render(RunReport report) {
    this.report = report;
    StringBuilder out = new StringBuilder();
    if (report.mode() == Mode.CHECK) {
      report.hosts().forEach(host -> out.append(checkLine(host)).append('\n'));
    } else {
      // Hosts whose blocks would read the same are shown once, headed by their count and names.
      // The drift class of each change is part of the key: a host where a change is drift is never
      // grouped with one where the same change is a rollout, even where the block would not say so.
      List<HostGroups.Group<HostResult>> groups = HostGroups.of(report.hosts(),
          h -> List.of(verdict(h, report.mode()), body(h, report.mode()), report.classesOf(h.host())));
      for (HostGroups.Group<HostResult> g : groups) {
        HostResult first = g.members().get(0);
        out.append(style.bold(HostGroups.heading(g.members().stream().map(HostResult::host).toList())))
            .append("  ").append(verdict(first, report.mode())).append('\n');
        out.append(body(first, report.mode()));
      }
    }
    out.append(summary(report)).append('\n');
    return out.toString();
  }

  /** A host's block below its heading line. */
  private String body(HostResult host, Mode mode) {
    StringBuilder out = new StringBuilder();
    host(out, host, mode);
    return out.toString();
  }

  private void host(StringBuilder out, HostResult host, Mode mode) {
    if (mode != Mode.APPLY && host.leasedBy().isPresent()) {
      out.append("  ").append(style.yellow("apply in progress by " + host.leasedBy().get() + ": the host may be mid-change")).append('\n');
    }
    host.problems().forEach(p -> out.append("  ").append(style.red("! " + p)).append('\n'));
    if (host.plan().isEmpty()) {
      out.append('\n');
      return;
    }
    HostPlan plan = host.plan().get();
    plan.problems().stream().filter(p -> !p.isError())
        // render() already says "file:line:col: warning: …": no second "warning: " before it.
        .forEach(p -> out.append("  ").append(style.yellow(p.render().replace("\n", "\n  "))).append('\n'));
    Map<String, StepResult> results = new java.util.LinkedHashMap<>();
    host.steps().forEach(r -> results.put(r.id(), r));
    steps(out, host.host(), plan, results);
    if (plan.rebootPlanned()) {
      out.append("  ").append(style.action(Action.RUN, "! reboot")).append(style.dim("   (reboot barrier: changes above take effect; verified by a new boot_id)")).append('\n');
      if (plan.blocked() && mode != Mode.APPLY) {
        out.append("      ").append(style.dim("blocked steps wait for the reboot and are planned again after it")).append('\n');
      }
    }
    if (host.afterReboot().isPresent()) {
      HostPlan after = host.afterReboot().get();
      if (after.hasChanges() || after.blocked()) {
        out.append("  ").append(style.bold("after the reboot, planned again from the host's facts:")).append('\n');
        Map<String, StepResult> second = new java.util.LinkedHashMap<>();
        host.afterRebootSteps().forEach(r -> second.put(r.id(), r));
        steps(out, host.host(), after, second);
      } else {
        out.append("  ").append(style.dim("after the reboot: planned again from the host's facts, nothing left to do")).append('\n');
      }
    }
    if (host.rebootPending()) {
      out.append("  ").append(style.yellow("reboot pending: the running system differs from its next boot; run apply with --reboot if-needed, or reboot")).append('\n');
    }
    long unchanged = plan.steps().stream().filter(s -> !s.changes()).count();
    if (unchanged > 0) {
      out.append("  ").append(style.dim(unchanged + " resource" + (unchanged == 1 ? "" : "s") + " already converged")).append('\n');
    }
    out.append('\n');
  }

  private void steps(StringBuilder out, String host, HostPlan plan, Map<String, StepResult> results) {
    for (Step step : plan.steps()) {
      Change c = step.change();
      if (c.changes() || !c.notes().isEmpty() || !c.blockers().isEmpty()) {
        step(out, host, step, results.get(step.id()));
      }
    }
  }

  private void step(StringBuilder out, String host, Step step, StepResult result) {
    Change c = step.change();
    String head = c.action().symbol() + " " + step.id();
    out.append("  ").append(style.action(c.action(), head));
    StringBuilder meta = new StringBuilder();
    meta.append(c.changes() ? c.action().word() : "no change");
    if (c.changes()) {
      meta.append(", ").append(c.label().word());
      if (!step.handler()) {
        meta.append(", ").append(report.classOf(host, step.id()).word());
      }
      if (!(c.takesEffect() instanceof TakesEffect.Now)) {
        meta.append(", takes effect ").append(c.takesEffect().describe());
      }
    }
    if (!step.notifiedBy().isEmpty()) {
      meta.append(", notified by ").append(String.join(", ", step.notifiedBy()));
    }
    out.append("  ").append(style.dim("(" + meta + ")"));
    if (result != null && result.status() != StepResult.Status.OK) {
      String word = result.status().word();
      out.append("  ").append(result.status().failed() ? style.red(word) : style.green(word));
    }
    out.append('\n');
    if (c.changes() && !c.before().equals(c.after()) && c.diff().isEmpty()) {
      out.append("      ").append(c.before().isBlank() ? "(nothing)" : c.before()).append(" -> ").append(c.after()).append('\n');
    }
    for (String line : c.diff().split("\n", -1)) {
      if (!line.isEmpty()) {
        out.append("      ").append(style.diffLine(line)).append('\n');
      }
    }
    for (Command cmd : c.commands()) {
      out.append("      ").append(style.dim("$ ")).append(cmd.shown().replace("\n", "\n        ")).append('\n');
    }
    c.notes().forEach(n -> out.append("      ").append(style.yellow("note: " + n)).append('\n'));
    c.blockers().forEach(b -> out.append("      ").append(style.red("blocked: " + b)).append('\n'));
    // A blocked step's message is its blockers, printed just above: say it once.
    if (result != null && !result.message().isEmpty() && result.status() != StepResult.Status.BLOCKED) {
      out.append("      ").append(result.status().failed() ? style.red(result.message()) : style.dim(result.message())).append('\n');
    }
  }

  private String verdict(HostResult host, Mode mode) {
    return switch (host.outcome()) {
      case CONVERGED -> style.green(mode == Mode.APPLY ? "converged, nothing to do" : "converged");
      case CHANGED -> {
        if (mode == Mode.APPLY) {
          yield style.yellow("changed" + (host.rebooted() ? ", rebooted" : "") + ", verified");
        }
        HostPlan p = host.plan().orElseThrow();
        yield style.yellow(p.changes().size() + " to change, " + p.commandCount() + " command" + (p.commandCount() == 1 ? "" : "s"));
      }
      case LOCKED -> style.red("locked");
      case FAILED -> style.red("failed");
      case UNREACHABLE -> style.red("unreachable");
    };
  }

  private String checkLine(HostResult host) {
    String line = checkVerdict(host);
    // check takes no lease: what it read may be a host halfway through someone's apply.
    return host.leasedBy().isEmpty() || host.outcome() == Outcome.LOCKED ? line
        : line + style.yellow("  (apply in progress by " + host.leasedBy().get() + ")");
  }

  private String checkVerdict(HostResult host) {
    String name = style.bold(host.host());
    return switch (host.outcome()) {
      case CONVERGED -> name + "  " + style.green("ok") + (host.rebootPending() ? style.yellow("  (reboot pending)") : "");
      case CHANGED -> {
        // Handlers are consequences of the drift (a restart because a file changed), not drift.
        // Grouped by class: drift is what a scheduled correction fixes, a rollout waits for review.
        Map<DriftClass, List<String>> byClass = new java.util.EnumMap<>(DriftClass.class);
        host.plan().orElseThrow().changes().stream().filter(st -> !st.handler()).forEach(st -> byClass
            .computeIfAbsent(report.classOf(host.host(), st.id()), k -> new java.util.ArrayList<>()).add(st.id()));
        List<String> parts = new java.util.ArrayList<>(byClass.entrySet().stream()
            .map(e -> e.getKey().word() + ": " + String.join(", ", e.getValue())).toList());
        // A handler an interrupted run left due is no consequence of drift found now: named on its own.
        List<String> due = host.plan().orElseThrow().changes().stream()
            .filter(st -> st.handler() && st.notifiedBy().contains(dev.plumb.plan.DueHandlers.EARLIER_RUN))
            .map(dev.plumb.plan.Step::id).toList();
        if (!due.isEmpty()) {
          parts.add("due from an interrupted run: " + String.join(", ", due));
        }
        String what = parts.isEmpty() ? "drift: reboot due" : String.join("; ", parts);
        yield name + "  " + style.yellow(what);
      }
      case LOCKED -> name + "  " + style.red("locked: " + host.leasedBy().orElse("an unknown holder"));
      case FAILED -> name + "  " + style.red("failed: " + String.join("; ", host.problems()));
      case UNREACHABLE -> name + "  " + style.red("unreachable: " + String.join("; ", host.problems()));
    };
  }

  private String summary(RunReport report) {
    Map<Action, Integer> counts = report.actionCounts();
    int hosts = report.hosts().size();
    String hostWord = hosts + " host" + (hosts == 1 ? "" : "s");
    StringBuilder s = new StringBuilder();
    switch (report.mode()) {
      case PLAN -> s.append("Plan: ")
          .append(counts.getOrDefault(Action.CREATE, 0)).append(" to create, ")
          .append(counts.getOrDefault(Action.UPDATE, 0)).append(" to update, ")
          .append(counts.getOrDefault(Action.DELETE, 0)).append(" to delete, ")
          .append(counts.getOrDefault(Action.RUN, 0)).append(" to run, ")
          .append(counts.getOrDefault(Action.RESTART, 0)).append(" to restart, on ").append(hostWord).append('.');
      case CHECK -> s.append("Check: ").append(report.count(Outcome.CONVERGED)).append(" ok, ")
          .append(report.count(Outcome.CHANGED)).append(" drifted, on ").append(hostWord).append('.');
      case APPLY -> s.append("Apply: ").append(report.count(Outcome.CHANGED)).append(" changed, ")
          .append(report.count(Outcome.CONVERGED)).append(" already converged, on ").append(hostWord).append('.');
    }
    long failed = report.count(Outcome.FAILED);
    long unreachable = report.count(Outcome.UNREACHABLE);
    long locked = report.count(Outcome.LOCKED);
    if (locked > 0) {
      s.append(' ').append(locked).append(" locked by another apply.");
    }
    if (failed > 0) {
      s.append(' ').append(failed).append(" failed.");
    }
    if (unreachable > 0) {
      s.append(' ').append(unreachable).append(" unreachable.");
    }
    long pending = report.rebootsPending();
    if (pending > 0) {
      s.append(" Reboot pending on ").append(pending).append(" host").append(pending == 1 ? "" : "s").append('.');
    }
    s.append(String.format(java.util.Locale.ROOT, " (%.2f s)", report.seconds()));
    String line = s.toString();
    return failed + unreachable + locked > 0 ? style.red(line) : style.bold(line);
  }

  /** Load problems, one per line, errors first. */
  static String problems(List<Problem> problems) {
    StringBuilder out = new StringBuilder();
    problems.stream().filter(Problem::isError).forEach(p -> out.append(p.render()).append('\n'));
    problems.stream().filter(p -> !p.isError()).forEach(p -> out.append(p.render()).append('\n'));
    return out.toString();
  }
}

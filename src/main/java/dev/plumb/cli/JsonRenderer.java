package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.apply.StepResult;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.plan.Step;
import dev.plumb.text.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON report; its schema is documented in docs/json-format.md and versioned by {@code
 * format_version}: fields are only added within a version.
 */
final class JsonRenderer {
  static final String FORMAT_VERSION = "1.0";

  String render(RunReport report, int exitCode) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format_version", FORMAT_VERSION);
    root.put("plumb_version", Main.VERSION);
    root.put("command", report.verb());
    root.put("playbook", report.playbook());
    root.put("exit_code", exitCode);
    root.put("seconds", round(report.seconds()));
    List<Object> hosts = new ArrayList<>();
    report.hosts().forEach(h -> hosts.add(host(h, report)));
    root.put("hosts", hosts);
    Map<String, Object> summary = new LinkedHashMap<>();
    report.actionCounts().forEach((a, n) -> summary.put(a.jsonName(), n));
    for (HostResult.Outcome o : HostResult.Outcome.values()) {
      summary.put("hosts_" + o.word(), report.count(o));
    }
    summary.put("hosts_reboot_pending", report.rebootsPending());
    root.put("summary", summary);
    return Json.pretty(root) + "\n";
  }

  private static Map<String, Object> host(HostResult h, RunReport report) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", h.host());
    m.put("outcome", h.outcome().word());
    m.put("problems", h.problems());
    m.put("execs", h.execs());
    m.put("seconds", round(h.seconds()));
    m.put("rebooted", h.rebooted());
    m.put("reboot_pending", h.rebootPending());
    m.put("leased_by", h.leasedBy().orElse(null));
    m.put("reboot_planned", h.plan().map(p -> p.rebootPlanned()).orElse(false));
    Map<String, StepResult> results = new LinkedHashMap<>();
    h.steps().forEach(r -> results.put(r.id(), r));
    List<Object> steps = new ArrayList<>();
    h.plan().ifPresent(p -> p.steps().forEach(s -> {
      Map<String, Object> step = step(s, results.get(s.id()));
      step.put("class", s.changes() ? report.classOf(h.host(), s.id()).word() : null);
      steps.add(step);
    }));
    DriftCounts counts = DriftCounts.of(h, report);
    m.put("drifted", counts.drift());
    m.put("rollout_pending", counts.rollout());
    m.put("steps", steps);
    List<Object> after = new ArrayList<>();
    Map<String, StepResult> second = new LinkedHashMap<>();
    h.afterRebootSteps().forEach(r -> second.put(r.id(), r));
    h.afterReboot().ifPresent(p -> p.steps().forEach(s -> after.add(step(s, second.get(s.id())))));
    m.put("after_reboot", after);
    List<Object> lint = new ArrayList<>();
    h.plan().ifPresent(p -> p.problems().forEach(pr -> lint.add(Map.of(
        "severity", pr.severity().name().toLowerCase(java.util.Locale.ROOT),
        "at", pr.mark().toString(), "message", pr.message(), "fix", pr.fix() == null ? "" : pr.fix()))));
    m.put("lint", lint);
    return m;
  }

  private static Map<String, Object> step(Step s, StepResult result) {
    Change c = s.change();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", s.index());
    m.put("id", s.id());
    m.put("type", s.type());
    m.put("declared_at", s.declaredAt());
    m.put("action", c.action().jsonName());
    m.put("label", c.label().word());
    m.put("takes_effect", c.takesEffect().describe());
    m.put("before", c.before());
    m.put("after", c.after());
    m.put("diff", c.diff());
    List<Object> commands = new ArrayList<>();
    for (Command cmd : c.commands()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("argv", cmd.argv());
      cm.put("shown", cmd.shown());
      cm.put("stdin_bytes", cmd.stdin().length);
      commands.add(cm);
    }
    m.put("commands", commands);
    m.put("notes", c.notes());
    m.put("blockers", c.blockers());
    m.put("reboot_pending", c.rebootPending());
    m.put("depends_on", s.dependsOn());
    m.put("notified_by", s.notifiedBy());
    if (result != null) {
      m.put("result", Map.of("status", result.status().word(), "message", result.message(), "commands_run", result.commandsRun()));
    }
    return m;
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }
}

package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.apply.Mode;
import dev.plumb.apply.PlanSource;
import dev.plumb.apply.RunOptions;
import dev.plumb.apply.Runner;
import dev.plumb.load.Catalog;
import dev.plumb.load.FileSource;
import dev.plumb.load.HostCatalog;
import dev.plumb.load.LoadRequest;
import dev.plumb.load.Loader;
import dev.plumb.load.Resource;
import dev.plumb.load.YamlModuleSpec;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.PlanDelta;
import dev.plumb.plan.Planner;
import dev.plumb.plan.RebootPolicy;
import dev.plumb.plan.Step;
import dev.plumb.source.InputException;
import dev.plumb.source.Problem;
import dev.plumb.text.Json;
import dev.plumb.text.Sensitive;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code plumb plan --against REF}: the plan the work tree makes minus the plan REF makes, per
 * host, on the same facts (read once per host, or from the ledger). What a reviewer wants on a pull
 * request: "this commit will do X on these N hosts".
 */
final class Against {
  private Against() {}

  /** One host's difference, or why it has none. */
  record HostDelta(String host, HostResult.Outcome outcome, List<String> problems, List<PlanDelta.StepDelta> deltas) {}

  static int run(PlanCommand cmd, String ref, PrintWriter out, PrintWriter err) {
    CommonOptions common = cmd.common;
    long start = System.nanoTime();
    String format = common.format.toLowerCase(Locale.ROOT);
    RunOptions options;
    try {
      Formats.check(common.format, Mode.PLAN);
      options = RunOptions.defaults(Mode.PLAN).withForks(common.forks).withReboot(RebootPolicy.parse(cmd.rebootPolicy()));
    } catch (IllegalArgumentException e) {
      err.println("plumb: " + e.getMessage());
      return 1;
    }
    Session session = Session.load(common, err);
    if (session == null) {
      return 1;
    }
    List<Path> outside = new ArrayList<>(List.of(common.playbook));
    if (common.inventory != null) {
      outside.add(common.inventory);
    }
    Catalog atRef;
    String commit;
    try (FileSource files = FileSource.revision(common.playbook, ref, outside)) {
      commit = ((FileSource.Revision) files).commit();
      atRef = Loader.load(new LoadRequest(files.resolve(common.playbook),
          Optional.ofNullable(common.inventory).map(files::resolve), common.extraVars, Optional.ofNullable(common.limit),
          common.tagSet(), session.registry()), YamlModuleSpec::module);
    } catch (IOException e) {
      err.println("plumb: --against " + ref + ": " + e.getMessage());
      return 1;
    } catch (InputException e) {
      err.print(TextRenderer.problems(e.problems()));
      long errors = e.problems().stream().filter(Problem::isError).count();
      err.println("plumb: " + errors + " error" + (errors == 1 ? "" : "s") + " in the input as it is at " + ref
          + "; no host was contacted.");
      return 1;
    }

    Map<String, HostCatalog> now = byName(session.catalog());
    Map<String, HostCatalog> then = byName(atRef);
    // Facts are read once per host, for the resources of both sides.
    List<HostCatalog> both = new ArrayList<>();
    now.forEach((name, c) -> both.add(merged(c, then.get(name))));
    then.forEach((name, c) -> {
      if (!now.containsKey(name)) {
        both.add(c);
      }
    });
    Planner planner = new Planner(session.registry().lints());
    Map<String, HostPlan> refPlans = new ConcurrentHashMap<>();
    PlanSource twoPlans = (catalog, facts, reboot) -> {
      String name = catalog.host().name();
      refPlans.put(name, then.containsKey(name) ? planner.plan(then.get(name), facts, reboot) : empty(name));
      return new PlanSource.Run(now.containsKey(name) ? planner.plan(now.get(name), facts, reboot) : empty(name));
    };
    Runner runner;
    if (cmd.factsFrom() == null) {
      runner = new Runner(planner, session.connector());
    } else {
      var recorded = Recorder.recordedFacts(cmd.factsFrom(), common.playbook, err);
      if (recorded.isEmpty()) {
        return 1;
      }
      runner = new Runner(planner, session.connector(), recorded.get());
    }
    RunVerb.Progress progress = new RunVerb.Progress(err, both.size(), Style.detect(common.noColor), dev.plumb.apply.Mode.PLAN);
    List<HostResult> results = runner.withPlans(twoPlans)
        .run(new Catalog(common.playbook, both, List.of()), options, progress::hostDone);
    progress.finish();

    List<HostDelta> deltas = new ArrayList<>();
    for (HostResult r : results) {
      List<PlanDelta.StepDelta> d = r.plan().isPresent() && refPlans.containsKey(r.host())
          ? PlanDelta.between(refPlans.get(r.host()), r.plan().get()) : List.of();
      deltas.add(new HostDelta(r.host(), r.outcome(), r.problems(), d));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    boolean failed = deltas.stream().anyMatch(d -> d.outcome() == HostResult.Outcome.FAILED
        || d.outcome() == HostResult.Outcome.UNREACHABLE);
    boolean differs = deltas.stream().anyMatch(d -> !d.deltas().isEmpty());
    int exit = failed ? 3 : differs && cmd.detailed ? 2 : 0;
    String label = ref + " (" + commit.substring(0, 12) + ")";
    Sensitive secrets = session.secrets(common).plus(atRef.sensitive());
    Style style = format.equals("text") ? Style.detect(common.noColor) : new Style(false);
    String text = switch (format) {
      case "json" -> json(deltas, ref, commit, common.playbook.toString(), exit);
      case "markdown" -> markdown(deltas, label, common.playbook.toString());
      default -> text(deltas, label, style, seconds);
    };
    out.print(secrets.redact(text));
    out.flush();
    return exit;
  }

  private static Map<String, HostCatalog> byName(Catalog c) {
    Map<String, HostCatalog> m = new LinkedHashMap<>();
    c.hosts().forEach(h -> m.put(h.host().name(), h));
    return m;
  }

  /** The host with the resources of both sides, only to know which facts to read. */
  private static HostCatalog merged(HostCatalog now, HostCatalog atRef) {
    if (atRef == null) {
      return now;
    }
    List<Resource> all = new ArrayList<>(now.resources());
    all.addAll(atRef.resources());
    return new HostCatalog(now.host(), all);
  }

  private static HostPlan empty(String host) {
    return new HostPlan(host, List.of(), List.of(), false, false);
  }

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

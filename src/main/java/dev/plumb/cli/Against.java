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
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.PlanDelta;
import dev.plumb.plan.Planner;
import dev.plumb.plan.RebootPolicy;
import dev.plumb.source.InputException;
import dev.plumb.source.Problem;
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
 * request: "this commit will do X on these N hosts". {@link AgainstReport} prints it.
 */
final class Against {
  private Against() {}

  static int run(PlanCommand cmd, String ref, PrintWriter out, PrintWriter err) {
    CommonOptions common = cmd.common;
    long start = System.nanoTime();
    String format = common.format.toLowerCase(Locale.ROOT);
    Session.Started<RunOptions> started = Session.start(common, err, () -> {
      Formats.check(common.format, Mode.PLAN);
      return RunOptions.defaults(Mode.PLAN).withForks(common.forks).withReboot(RebootPolicy.parse(cmd.rebootPolicy()));
    });
    if (started == null) {
      return 1;
    }
    RunOptions options = started.options();
    Session session = started.session();
    List<Path> outside = new ArrayList<>(List.of(common.playbook));
    if (common.inventory != null) {
      outside.add(common.inventory);
    }
    Catalog atRef;
    String commit;
    dev.plumb.ledger.GitSystemConfig.useWithoutRunningGit();
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

    List<AgainstReport.HostDelta> deltas = new ArrayList<>();
    for (HostResult r : results) {
      List<PlanDelta.StepDelta> d = r.plan().isPresent() && refPlans.containsKey(r.host())
          ? PlanDelta.between(refPlans.get(r.host()), r.plan().get()) : List.of();
      deltas.add(new AgainstReport.HostDelta(r.host(), r.outcome(), r.problems(), d));
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
      case "json" -> AgainstReport.json(deltas, ref, commit, common.playbook.toString(), exit);
      case "markdown" -> AgainstReport.markdown(deltas, label, common.playbook.toString());
      default -> AgainstReport.text(deltas, label, style, seconds);
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
}

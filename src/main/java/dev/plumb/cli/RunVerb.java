package dev.plumb.cli;

import dev.plumb.apply.Connector;
import dev.plumb.apply.HostResult;
import dev.plumb.apply.Mode;
import dev.plumb.apply.RunOptions;
import dev.plumb.apply.Runner;
import dev.plumb.load.Catalog;
import dev.plumb.plan.Planner;
import dev.plumb.plan.RebootPolicy;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What plan, check and apply share: load, run over the hosts, render, exit code. */
abstract class RunVerb implements Callable<Integer> {
  @Mixin CommonOptions.ReportOptions common;

  @Option(names = "--record",
      description = "Commit this run's report and each host's facts to refs/plumb/ledger of the playbook's git repository"
          + " (apply does so by default when the playbook is in one).")
  boolean record;

  @Option(names = "--no-record", description = "Do not record this run, not even an apply.")
  boolean noRecord;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  abstract Mode mode();

  /** never, or if-needed: only apply reboots (--reboot); plan and check plan as apply would without it. */
  String rebootPolicy() {
    return "never";
  }

  /** apply --reboot force: reboot even for a cause an earlier reboot of the host did not make live. */
  boolean rebootAgain() {
    return false;
  }

  boolean detailedExitCode() {
    return false;
  }

  /** Where a reader of a cut markdown report finds the whole plan; null: the default hint. */
  String fullPlanAt() {
    return null;
  }

  /** Where recorded facts come from (plan only), or null to read them from the hosts. */
  String factsFrom() {
    return null;
  }

  /** Before anything is loaded (apply of a saved plan checks it here); false: exit 1, nothing contacted. */
  boolean prepare(PrintWriter err) {
    return true;
  }

  /** Where each host's plan comes from once its facts are read; null: planned now. */
  dev.plumb.apply.PlanSource plans(Session session, Planner planner) {
    return null;
  }

  /** After the report is printed (plan -o writes the saved plan here); false: the run fails with exit 1. */
  boolean finish(RunReport report, Session session, dev.plumb.text.Sensitive secrets, PrintWriter err) {
    return true;
  }

  /** Where to write node_exporter's textfile (check, apply), or null. */
  java.nio.file.Path metricsFile() {
    return null;
  }

  /** apply --reboot-timeout: how long to wait for a rebooted host; null: the default (10 minutes). */
  java.time.Duration rebootTimeout() {
    return null;
  }

  /** apply --only drift: change only what drifted. */
  boolean onlyDrift() {
    return false;
  }

  /** This verb's options checked (IllegalArgumentException: the user's error) and built. */
  private RunOptions runOptions() {
    RunOptions options = RunOptions.defaults(mode()).withForks(common.forks).withReboot(RebootPolicy.parse(rebootPolicy()));
    if (rebootTimeout() != null) {
      options = options.withRebootTimeout(rebootTimeout());
    }
    options = options.withRebootAgain(rebootAgain());
    Formats.check(common.format, mode());
    if (metricsFile() != null && MetricsOutput.problem(metricsFile()) != null) {
      throw new IllegalArgumentException(MetricsOutput.problem(metricsFile()));
    }
    return options;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    if (!prepare(err)) {
      return 1;
    }
    Session.Started<RunOptions> started = Session.start(common, err, this::runOptions);
    if (started == null) {
      return 1;
    }
    RunOptions options = started.options();
    Session session = started.session();
    Catalog catalog = session.catalog();
    // Drift or rollout: judged against each host's last convergence recorded in the ledger.
    DriftLedger drift = DriftLedger.load(catalog, common.playbook);
    if (onlyDrift()) {
      options = options.withPolicy(drift.onlyDrift());
    }
    Style style = Style.detect(common.noColor);
    Progress progress = new Progress(err, catalog.hosts().size(), style, mode());
    // A run that leaves some steps keeps each step's own rebuild (Planner.withoutRebuildCoalescing).
    Planner planner = onlyDrift() ? new Planner(session.registry().lints()).withoutRebuildCoalescing()
        : new Planner(session.registry().lints());
    Runner runner;
    if (factsFrom() == null) {
      runner = new Runner(planner, connector(session, err));
    } else {
      java.util.Optional<java.util.function.Function<String, java.util.Optional<dev.plumb.facts.FactSet>>> recorded =
          Recorder.recordedFacts(factsFrom(), common.playbook, err);
      if (recorded.isEmpty()) {
        return 1;
      }
      runner = new Runner(planner, session.connector(), recorded.get());
    }
    dev.plumb.apply.PlanSource plans = plans(session, planner);
    if (plans != null) {
      runner = runner.withPlans(plans);
    }
    List<HostResult> results = runner.run(catalog, options, progress::hostDone);
    progress.finish();
    RunReport report = new RunReport(mode(), common.playbook.toString(), results, (System.nanoTime() - start) / 1e9,
        drift.classes(results));
    int exit = report.exitCode(detailedExitCode());
    String format = common.format.toLowerCase(Locale.ROOT);
    // Every output goes through the one redaction step: no secret is printed or recorded.
    dev.plumb.text.Sensitive secrets = session.secrets(common);
    out.print(secrets.redact(render(format, report, exit, style)));
    out.flush();
    if (!finish(report, session, secrets, err)) {
      return exit == 0 ? 1 : exit;
    }
    if (metricsFile() != null && !MetricsOutput.write(metricsFile(), report, exit, err)) {
      return exit == 0 ? 1 : exit;
    }
    if (recording()) {
      // Every rendering is committed, so `plumb show` prints the run in any format as it was.
      Recorder.Renderings all = new Recorder.Renderings(secrets.redact(render("json", report, exit, style)),
          secrets.redact(render("text", report, exit, new Style(false))),
          secrets.redact(render("markdown", report, exit, style)),
          mode() == Mode.PLAN ? null : secrets.redact(render("junit", report, exit, style)));
      // What this run saw converged, per resource: the next run tells drift from rollout by it.
      java.util.Map<String, byte[]> converged = factsFrom() == null
          ? drift.convergedFiles(report, options.holder().runId(), java.time.Instant.now()) : java.util.Map.of();
      if (!Recorder.record(common.playbook, report, all, secrets, converged, err)) {
        return exit == 0 ? 1 : exit;
      }
    }
    return exit;
  }

  /** The session's connector, showing each command with -v. */
  Connector connector(Session session, PrintWriter err) {
    return Trace.wrap(session.connector(), common.verbosity(), err, session.secrets(common));
  }

  /** --record, or an apply of a playbook kept in git unless --no-record. */
  private boolean recording() {
    if (noRecord) {
      return false;
    }
    return record || (mode() == Mode.APPLY && Recorder.inRepository(common.playbook));
  }

  private String render(String format, RunReport report, int exit, Style style) {
    return switch (format) {
      case "json" -> new JsonRenderer().render(report, exit);
      case "markdown" -> fullPlanAt() == null ? new MarkdownRenderer().render(report)
          : new MarkdownRenderer(fullPlanAt()).render(report);
      case "junit" -> new JunitRenderer(java.time.Instant.now()).render(report);
      default -> new TextRenderer(style).render(report);
    };
  }

  /** On a terminal a live counter line; otherwise one line per host as it finishes (several hosts only). */
  static final class Progress {
    private final PrintWriter err;
    private final int total;
    private final boolean live;
    private final Mode mode;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger unreachable = new AtomicInteger();

    Progress(PrintWriter err, int total, Style style, Mode mode) {
      this.err = err;
      this.mode = mode;
      this.total = total;
      this.live = System.console() != null && style.color();
    }

    synchronized void hostDone(HostResult r) {
      int n = done.incrementAndGet();
      if (r.outcome() == HostResult.Outcome.FAILED) {
        failed.incrementAndGet();
      } else if (r.outcome() == HostResult.Outcome.UNREACHABLE) {
        unreachable.incrementAndGet();
      }
      if (total < 2) {
        return;
      }
      if (live) {
        err.printf("\rhosts %d/%d done, %d failed, %d unreachable", n, total, failed.get(), unreachable.get());
      } else {
        err.printf(Locale.ROOT, "[%d/%d] %s: %s (%.2f s)%n", n, total, r.host(), word(r.outcome()), r.seconds());
      }
      err.flush();
    }

    /** plan and check change nothing: a host with changes due drifted (check) or would change (plan). */
    private String word(HostResult.Outcome outcome) {
      if (outcome != HostResult.Outcome.CHANGED || mode == Mode.APPLY) {
        return outcome.word();
      }
      return mode == Mode.CHECK ? "drifted" : "would change";
    }

    void finish() {
      if (live && total >= 2) {
        err.println();
        err.flush();
      }
    }
  }
}

package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.apply.HostResult.Outcome;
import dev.plumb.apply.KeptConnections;
import dev.plumb.apply.Lease;
import dev.plumb.apply.Mode;
import dev.plumb.apply.RunOptions;
import dev.plumb.apply.Runner;
import dev.plumb.apply.StepPolicy;
import dev.plumb.facts.FactResult;
import dev.plumb.load.Catalog;
import dev.plumb.load.HostCatalog;
import dev.plumb.plan.Planner;
import dev.plumb.plan.RebootPolicy;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code plumb watch}: a long-running process that checks and corrects every host each interval,
 * over connections kept open (one exec per host per cycle for the facts), with the same runner as
 * apply. Each cycle is recorded in the ledger. It follows the repository (a moved HEAD reloads the
 * playbook; what changed is classed rollout), keeps the last good load when the input breaks, and
 * backs off from unreachable hosts. SIGTERM lets the steps under way finish and leaves the rest;
 * SIGHUP reloads.
 *
 * <p>Over 250 lines as one class because what remains here is the loop and the state its cycles
 * share (backoff, boot ids, the signal flags); the input and its reloads ({@link WatchInput}), the
 * upstream ({@link Upstream}), kept connections and the metrics server are classes of their own.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {
      // The first line is the verb's summary in `plumb --help`: a whole sentence.
      "Check and correct the hosts every interval, over SSH connections kept open.",
      "Records each cycle in the ledger. Reloads when the repository's HEAD moves (or on SIGHUP; with "
          + "--fetch, when its upstream moves); SIGTERM finishes the steps under way and exits 0."
    },
    footer = {"", "Examples:",
      "  plumb watch -i inventories/prod.yml playbooks/gpu-hypervisor.yml --every 10m --jitter 1m --only drift",
      "  plumb watch -i inventories/lab.yml playbooks/gpu-hypervisor.yml --every 30s --metrics-listen 127.0.0.1:9810",
      "", "Exit: 0 stopped by SIGTERM/SIGINT (or after --cycles); 1 bad input or usage at start."})
final class WatchCommand implements Callable<Integer> {
  static final String STOPPING = "plumb watch is stopping: left for the next run";
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Pattern LISTEN = Pattern.compile("(.*):(\\d{1,5})");

  @Mixin CommonOptions common;

  @Option(names = "--every", paramLabel = "INTERVAL", required = true,
      description = "Time from the start of one cycle to the next: 30s, 10m, 1h.")
  String every;

  @Option(names = "--jitter", paramLabel = "DURATION", defaultValue = "0s",
      description = "Each wait is the interval plus a random part of this (spreads many watchers' load).")
  String jitter;

  @Option(names = "--only", paramLabel = "CLASS",
      description = "drift: correct only drift; rollouts wait for a reviewed apply.")
  String only;

  @Option(names = "--reboot", paramLabel = "POLICY", defaultValue = "never",
      description = "never (default: report \"reboot pending\") or if-needed.")
  String reboot;

  @Option(names = "--metrics-listen", paramLabel = "ADDR:PORT",
      description = "Serve the Prometheus metrics of the last cycle at http://ADDR:PORT/metrics.")
  String metricsListen;

  @Option(names = "--fetch",
      description = "Follow the checkout's upstream: fetch it each cycle and fast-forward the checkout (never merges).")
  boolean fetch;

  @Option(names = "--no-record", description = "Do not record the cycles in the ledger.")
  boolean noRecord;

  @Option(names = "--cycles", paramLabel = "N", defaultValue = "0", hidden = true,
      description = "Stop after N cycles (benchmarks); 0: run until stopped.")
  int cycles;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final Object wake = new Object();
  /**
   * The planner of the loaded session, and its plans remembered from cycle to cycle: a host whose
   * facts read as in the last cycle is not planned again (PlanSource.remembering). A reload makes a
   * new session, and both anew.
   */
  private Session plannedFor;
  private Planner planner;
  private dev.plumb.apply.PlanSource plans;
  private volatile boolean stopping;
  private volatile boolean reloadAsked;

  /** One host's reconnect state: consecutive unreachable cycles and when to try again. */
  private record Backoff(int failures, Instant next) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Duration interval;
    Duration spread;
    RunOptions base;
    try {
      interval = duration("--every", every);
      spread = duration("--jitter", jitter);
      if (interval.isZero()) {
        throw new IllegalArgumentException("--every must be more than 0");
      }
      if (only != null && !only.equals("drift")) {
        throw new IllegalArgumentException("--only takes drift, not '" + only + "'");
      }
      base = RunOptions.defaults(Mode.APPLY).withForks(common.forks).withReboot(RebootPolicy.parse(reboot));
      if (metricsListen != null && !LISTEN.matcher(metricsListen).matches()) {
        throw new IllegalArgumentException("--metrics-listen takes ADDR:PORT (e.g. 127.0.0.1:9810), not '" + metricsListen + "'");
      }
    } catch (IllegalArgumentException e) {
      err.println("plumb: " + e.getMessage());
      return 1;
    }
    WatchInput input = WatchInput.load(common, fetch, err);
    if (input == null) {
      return 1;
    }
    WatchMetrics metrics = null;
    if (metricsListen != null) {
      Matcher m = LISTEN.matcher(metricsListen);
      m.matches();
      try {
        metrics = WatchMetrics.start(m.group(1), Integer.parseInt(m.group(2)));
      } catch (java.io.IOException | RuntimeException e) {
        err.println("plumb: cannot listen on " + metricsListen + ": " + e.getMessage());
        err.println("    fix: pick a free port, or an address of this machine");
        return 1;
      }
      err.println("plumb watch: metrics at http://" + metricsListen + "/metrics");
    }
    installSignals();
    KeptConnections kept = new KeptConnections(input.session().connector());
    Map<String, Backoff> backoff = new HashMap<>();
    Map<String, String> bootIds = new HashMap<>();
    try {
      for (int cycle = 1; !stopping; cycle++) {
        Instant started = Instant.now();
        boolean asked = reloadAsked;
        reloadAsked = false;
        if (input.refresh(asked, err)) {
          kept.retain(names(input.session().catalog()));
        }
        runCycle(cycle, input.session(), input.current(), kept, base, backoff, bootIds, metrics, out, err);
        if (cycles > 0 && cycle >= cycles) {
          break;
        }
        long waitMs = interval.toMillis() + (spread.isZero() ? 0 : ThreadLocalRandom.current().nextLong(spread.toMillis() + 1));
        sleepUntil(started.plusMillis(waitMs));
      }
    } finally {
      kept.close();
      if (metrics != null) {
        metrics.close();
      }
    }
    err.println("plumb watch: stopped");
    err.flush();
    return 0;
  }

  private void runCycle(int cycle, Session session, boolean recordable, KeptConnections kept, RunOptions base, Map<String, Backoff> backoff,
      Map<String, String> bootIds, WatchMetrics metrics, PrintWriter out, PrintWriter err) {
    long start = System.nanoTime();
    Instant now = Instant.now();
    Catalog all = session.catalog();
    List<HostCatalog> due = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    for (HostCatalog hc : all.hosts()) {
      Backoff b = backoff.get(hc.host().name());
      if (b == null || !now.isBefore(b.next())) {
        due.add(hc);
      } else {
        waiting.add(hc.host().name());
      }
    }
    Catalog catalog = new Catalog(all.playbook(), due, all.warnings(), all.sensitive());
    DriftLedger drift = DriftLedger.load(catalog, common.playbook);
    StepPolicy policy = only == null ? StepPolicy.ALL : drift.onlyDrift();
    StepPolicy stoppable = (host, plan, step) -> stopping ? Optional.of(STOPPING) : policy.leave(host, plan, step);
    Instant t = Instant.now();
    RunOptions options = base.withHolder(Lease.Holder.thisProcess(Lease.Holder.newRunId(t), t)).withPolicy(stoppable);
    // Steps may be left (--only drift, or SIGTERM between steps): each keeps its own rebuild.
    if (plannedFor != session) {
      plannedFor = session;
      planner = new Planner(session.registry().lints()).withoutRebuildCoalescing();
      plans = dev.plumb.apply.PlanSource.remembering(dev.plumb.apply.PlanSource.planning(planner));
    }
    Runner runner = new Runner(planner, kept).withPlans(plans);
    List<HostResult> results = runner.run(catalog, options, r -> { });
    double seconds = (System.nanoTime() - start) / 1e9;
    RunReport report = new RunReport(Mode.APPLY, common.playbook.toString(), results, seconds, drift.classes(results));
    int exit = report.exitCode(false);
    dev.plumb.text.Sensitive secrets = session.secrets(common);
    List<String> notes = new ArrayList<>();
    for (HostResult r : results) {
      String host = r.host();
      if (r.outcome() == Outcome.UNREACHABLE) {
        int failures = backoff.containsKey(host) ? backoff.get(host).failures() + 1 : 1;
        Duration delay = backoffDelay(failures);
        backoff.put(host, new Backoff(failures, Instant.now().plus(delay)));
        kept.drop(host);
        notes.add(host + " unreachable (" + failures + " in a row): next try in " + delay.toSeconds() + " s: "
            + String.join("; ", r.problems()));
      } else {
        if (backoff.remove(host) != null) {
          notes.add(host + " reachable again");
        }
        r.facts().map(f -> f.get(Planner.BOOT_ID)).filter(FactResult.Content.class::isInstance)
            .map(c -> ((FactResult.Content) c).text().strip()).ifPresent(id -> {
              String before = bootIds.put(host, id);
              if (before != null && !before.equals(id)) {
                notes.add(host + " rebooted since the last cycle (new boot_id): every fact was read again");
              }
            });
      }
    }
    out.printf(Locale.ROOT, "cycle %d %s: %d hosts: %d converged, %d changed, %d failed, %d unreachable, %d locked%s (%.2f s, %d connections opened so far)%n",
        cycle, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), results.size(), report.count(Outcome.CONVERGED),
        report.count(Outcome.CHANGED), report.count(Outcome.FAILED), report.count(Outcome.UNREACHABLE),
        report.count(Outcome.LOCKED), waiting.isEmpty() ? "" : ", " + waiting.size() + " waiting to reconnect", seconds,
        kept.handshakes());
    if (report.count(Outcome.CONVERGED) != results.size()) {
      out.print(secrets.redact(new TextRenderer(new Style(false)).render(report)));
    }
    out.flush();
    notes.forEach(n -> err.println("plumb watch: " + secrets.redact(n)));
    err.flush();
    if (metrics != null) {
      metrics.record(MetricsOutput.figures(report, exit, Instant.now()),
          all.hosts().stream().map(h -> h.host().name()).collect(Collectors.toSet()));
    }
    if (!noRecord && recordable && Recorder.inRepository(common.playbook) && !results.isEmpty()) {
      Recorder.Renderings renderings = new Recorder.Renderings(secrets.redact(new JsonRenderer().render(report, exit)),
          secrets.redact(new TextRenderer(new Style(false)).render(report)),
          secrets.redact(new MarkdownRenderer().render(report)),
          secrets.redact(new JunitRenderer(Instant.now()).render(report)));
      Recorder.record(common.playbook, report, renderings, secrets,
          drift.convergedFiles(report, options.holder().runId(), Instant.now()), err);
    }
  }

  /** Twice as long after each unreachable cycle, from 5 s, at most 10 minutes. */
  static Duration backoffDelay(int failures) {
    long seconds = 5L << Math.min(failures - 1, 7);
    return Duration.ofSeconds(Math.min(seconds, 600));
  }

  static Duration duration(String option, String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " takes a duration like 30s, 10m or 1h, not '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private void sleepUntil(Instant when) {
    synchronized (wake) {
      while (!stopping && !reloadAsked) {
        long ms = Duration.between(Instant.now(), when).toMillis();
        if (ms <= 0) {
          return;
        }
        try {
          wake.wait(ms);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopping = true;
          return;
        }
      }
    }
  }

  /**
   * SIGTERM and SIGINT stop the watch after the steps under way (the rest is left, and said so);
   * SIGHUP reloads the input now. Handled here rather than by shutdown hooks, so the process ends
   * with exit 0 once the cycle is wound down.
   */
  @SuppressWarnings("restriction")
  private void installSignals() {
    for (String name : List.of("TERM", "INT")) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> {
          stopping = true;
          synchronized (wake) {
            wake.notifyAll();
          }
        });
      } catch (IllegalArgumentException e) {
        // Not available on this platform (or taken by the JVM): the default behaviour stays.
      }
    }
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> {
        reloadAsked = true;
        synchronized (wake) {
          wake.notifyAll();
        }
      });
    } catch (IllegalArgumentException e) {
      // No SIGHUP here: reloads follow the repository only.
    }
  }

  /** Hosts of the inventory, for the metrics to forget the others. */
  static Set<String> names(Catalog c) {
    return c.hosts().stream().map(h -> h.host().name()).collect(Collectors.toSet());
  }
}

package dev.plumb.apply;

import dev.plumb.apply.HostResult.Outcome;
import dev.plumb.apply.StepResult.Status;
import dev.plumb.facts.FactReader;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.load.HostCatalog;
import dev.plumb.modules.Command;
import dev.plumb.modules.Label;
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.Planner;
import dev.plumb.plan.RebootPolicy;
import dev.plumb.plan.Step;
import dev.plumb.source.Problem;
import dev.plumb.transport.Connection;
import dev.plumb.transport.ExecResult;
import dev.plumb.transport.TransportException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One host's run: connect, read facts (one exec), plan, and for apply run the steps, reboot at the
 * barrier when allowed, then re-read facts and verify that every resource converged.
 */
final class HostRun {
  private final HostCatalog catalog;
  private final Connector connector;
  private final Planner planner;
  private final RunOptions options;
  private final java.util.concurrent.atomic.AtomicInteger execs = new java.util.concurrent.atomic.AtomicInteger();

  HostRun(HostCatalog catalog, Connector connector, Planner planner, RunOptions options) {
    this.catalog = catalog;
    this.connector = connector;
    this.planner = planner;
    this.options = options;
  }

  /** Plans from facts recorded earlier (plan --facts-from): no host is contacted. */
  HostResult planFrom(FactSet recorded) {
    long start = System.nanoTime();
    if (recorded.asRead().isEmpty()) {
      return HostResult.withoutPlan(catalog.host().name(), Outcome.FAILED,
          "no facts are recorded for this host; run check or apply with --record first", 0, since(start));
    }
    List<String> missing = planner.factsNeeded(catalog).stream()
        .filter(f -> !recorded.asRead().containsKey(f)).map(String::valueOf).toList();
    if (!missing.isEmpty()) {
      return HostResult.withoutPlan(catalog.host().name(), Outcome.FAILED, "the recorded facts lack " + missing.size()
          + " fact(s) this playbook needs (first: " + missing.get(0) + "); run plan without --facts-from to read them",
          0, since(start));
    }
    return planAndRun(recorded, new Offline(catalog.host().name()), start).withFacts(recorded);
  }

  HostResult run() {
    long start = System.nanoTime();
    String name = catalog.host().name();
    Connection connection;
    try {
      connection = open();
    } catch (TransportException e) {
      return HostResult.withoutPlan(name, Outcome.UNREACHABLE, e.getMessage(), 0, since(start));
    }
    try {
      FactSet facts;
      try {
        facts = FactReader.read(connection, planner.factsNeeded(catalog), options.factTimeout());
      } catch (TransportException e) {
        return HostResult.withoutPlan(name, e.unreachable() ? Outcome.UNREACHABLE : Outcome.FAILED, e.getMessage(),
            execs.get(), since(start));
      }
      return planAndRun(facts, connection, start).withFacts(facts);
    } finally {
      connection.close();
    }
  }

  private HostResult planAndRun(FactSet facts, Connection connection, long start) {
    String name = catalog.host().name();
    HostPlan plan = planner.plan(catalog, facts, options.reboot());
    List<String> lintErrors = plan.problems().stream().filter(Problem::isError).map(Problem::render).toList();
    if (options.mode() != Mode.APPLY) {
      Outcome outcome = !lintErrors.isEmpty() ? Outcome.FAILED : plan.hasChanges() ? Outcome.CHANGED : Outcome.CONVERGED;
      return HostResult.planned(name, outcome, plan, lintErrors, execs.get(), since(start));
    }
    if (!lintErrors.isEmpty()) {
      return HostResult.planned(name, Outcome.FAILED, plan, lintErrors, execs.get(), since(start));
    }
    return apply(plan, facts, connection, start);
  }

  /** Opens a connection whose execs are counted for this host's result. */
  private Connection open() throws TransportException {
    return new Counting(connector.open(catalog.host()), execs);
  }

  /** Counts every exec, over however many connections a run opens (a reboot needs new ones). */
  private record Counting(Connection inner, java.util.concurrent.atomic.AtomicInteger count) implements Connection {
    @Override
    public String host() {
      return inner.host();
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, java.time.Duration timeout) throws TransportException {
      count.incrementAndGet();
      return inner.exec(command, stdin, timeout);
    }

    @Override
    public int execCount() {
      return inner.execCount();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  /** Stands in for a connection when planning from recorded facts; planning never uses it. */
  private record Offline(String host) implements Connection {
    @Override
    public ExecResult exec(String command, byte[] stdin, java.time.Duration timeout) throws TransportException {
      throw new TransportException("planning from recorded facts never contacts the host", false);
    }

    @Override
    public int execCount() {
      return 0;
    }

    @Override
    public void close() {}
  }

  private static final java.time.Duration REBOOT_TRIGGER_TIMEOUT = java.time.Duration.ofSeconds(30);

  /** What running one plan's steps did. */
  private record Phase(Map<String, StepResult> results, int commandsRun) {
    boolean failed() {
      return results.values().stream().anyMatch(r -> r.status().failed());
    }

    List<String> failures() {
      return results.values().stream().filter(r -> r.status().failed())
          .map(r -> r.id() + " " + r.status().word() + ": " + r.message()).toList();
    }
  }

  /** What re-reading the facts after apply found. */
  private record Verification(List<String> problems, boolean rebootPending) {}

  private HostResult apply(HostPlan plan, FactSet facts, Connection connection, long start) {
    Phase first = runSteps(plan, connection, plan.rebootPlanned());
    if (first.failed()) {
      return applied(Outcome.FAILED, plan, first, first.failures(), null, null, plan.rebootPending(), start);
    }
    if (!plan.rebootPlanned()) {
      if (first.commandsRun() == 0) {
        return applied(Outcome.CONVERGED, plan, first, List.of(), null, null, plan.rebootPending(), start);
      }
      Verification v = verify(connection, Set.of(), null);
      return applied(v.problems().isEmpty() ? Outcome.CHANGED : Outcome.FAILED, plan, first, v.problems(), null, null,
          v.rebootPending(), start);
    }
    Optional<String> rebootProblem = reboot(connection, facts);
    if (rebootProblem.isPresent()) {
      return applied(Outcome.FAILED, plan, first, List.of(rebootProblem.get()), null, null, true, start);
    }
    // After the one reboot: plan again from what the host now is. Steps that were blocked until
    // the reboot (the driver while nouveau was loaded) run now; no second reboot, whatever they need.
    try (Connection again = open()) {
      FactSet after = FactReader.read(again, planner.factsNeeded(catalog), options.factTimeout());
      HostPlan second = planner.plan(catalog, after, RebootPolicy.NEVER);
      Phase phase2 = runSteps(second, again, false);
      if (phase2.failed()) {
        return applied(Outcome.FAILED, plan, first, phase2.failures(), second, phase2, second.rebootPending(), start);
      }
      Set<String> mustBeLive = new java.util.HashSet<>();
      for (Step s : plan.steps()) {
        boolean neededTheReboot = s.change().rebootPending()
            || (s.changes() && s.change().takesEffect() instanceof dev.plumb.modules.TakesEffect.AfterReboot);
        if (neededTheReboot && !phase2.results().containsKey(s.id())) {
          mustBeLive.add(s.id());
        }
      }
      // Facts read just after the reboot are still current when the second phase ran nothing.
      Verification v = verify(again, mustBeLive, phase2.commandsRun() == 0 ? after : null);
      return applied(v.problems().isEmpty() ? Outcome.CHANGED : Outcome.FAILED, plan, first, v.problems(), second, phase2,
          v.rebootPending(), start);
    } catch (TransportException e) {
      return applied(Outcome.FAILED, plan, first, List.of("rebooted, but could not plan again afterwards: " + e.getMessage()),
          null, null, true, start);
    }
  }

  /** An apply result; {@code second} and {@code phase2} are null when there was no second phase. */
  private HostResult applied(Outcome outcome, HostPlan plan, Phase first, List<String> problems, HostPlan second,
      Phase phase2, boolean rebootPending, long start) {
    return new HostResult(catalog.host().name(), outcome, Optional.of(plan), List.copyOf(first.results().values()), problems,
        execs.get(), second != null, since(start), Optional.empty(), Optional.ofNullable(second),
        phase2 == null ? List.of() : List.copyOf(phase2.results().values()), rebootPending);
  }

  /**
   * Runs a plan's steps in order. With {@code deferBlocked} (a reboot barrier follows), a blocked
   * step and its dependents wait for the reboot instead of failing the host.
   */
  private Phase runSteps(HostPlan plan, Connection connection, boolean deferBlocked) {
    Map<String, StepResult> results = new LinkedHashMap<>();
    boolean connectionLost = false;
    int commandsRun = 0;
    for (Step step : plan.steps()) {
      StepResult result;
      Optional<String> deferral = deferBlocked ? deferral(step, results) : Optional.empty();
      if (!step.changes() && step.change().blockers().isEmpty()) {
        continue;
      } else if (connectionLost) {
        result = new StepResult(step.id(), Status.SKIPPED, "the connection to the host was lost", 0);
      } else if (deferral.isPresent()) {
        result = new StepResult(step.id(), Status.DEFERRED, deferral.get(), 0);
      } else {
        Optional<String> skip = skipReason(step, results);
        if (skip.isPresent()) {
          result = new StepResult(step.id(), Status.SKIPPED, skip.get(), 0);
        } else if (!step.change().blockers().isEmpty()) {
          result = new StepResult(step.id(), Status.BLOCKED, String.join("; ", step.change().blockers()), 0);
        } else if (step.change().commands().isEmpty()) {
          result = new StepResult(step.id(), Status.CHANGED, "", 0);
        } else {
          result = runCommands(step, connection);
          connectionLost = result.message().startsWith("connection lost");
        }
      }
      commandsRun += result.commandsRun();
      results.put(step.id(), result);
    }
    return new Phase(results, commandsRun);
  }

  private static Optional<String> deferral(Step step, Map<String, StepResult> results) {
    if (!step.change().blockers().isEmpty()) {
      return Optional.of("blocked until the reboot (" + String.join("; ", step.change().blockers())
          + "); planned again after it");
    }
    for (String dep : step.dependsOn()) {
      StepResult r = results.get(dep);
      if (r != null && r.status() == Status.DEFERRED && !step.notifiedBy().contains(dep)) {
        return Optional.of("waits for " + dep + ", planned again after the reboot");
      }
    }
    return Optional.empty();
  }

  /** A step is skipped when something it requires failed, or when every notifier of a handler failed. */
  private static Optional<String> skipReason(Step step, Map<String, StepResult> results) {
    for (String dep : step.dependsOn()) {
      StepResult r = results.get(dep);
      boolean notifier = step.notifiedBy().contains(dep);
      if (r != null && (r.status().failed() || r.status() == Status.SKIPPED) && !notifier) {
        return Optional.of("requires " + dep + ", which " + (r.status() == Status.SKIPPED ? "was skipped" : "failed"));
      }
    }
    if (!step.notifiedBy().isEmpty()
        && step.notifiedBy().stream().map(results::get).allMatch(r -> r != null && (r.status().failed() || r.status() == Status.SKIPPED))) {
      return Optional.of("every resource that notified it failed");
    }
    return Optional.empty();
  }

  private StepResult runCommands(Step step, Connection connection) {
    int ran = 0;
    for (Command command : step.change().commands()) {
      try {
        ExecResult r = connection.exec(command.line(), command.stdin(), timeout(step));
        ran++;
        if (!r.ok()) {
          String err = r.stderrText().strip();
          String out = r.stdoutText().strip();
          String detail = !err.isEmpty() ? err : out;
          return new StepResult(step.id(), Status.FAILED,
              "`" + command.shown() + "` exited " + r.exitStatus() + (detail.isEmpty() ? "" : ": " + lastLines(detail)), ran);
        }
      } catch (TransportException e) {
        String what = e.timedOut() ? "" : "connection lost while running `" + command.shown() + "`: ";
        return new StepResult(step.id(), Status.FAILED, what + e.getMessage(), ran);
      }
    }
    return new StepResult(step.id(), Status.CHANGED, "", ran);
  }

  /** The resource's own {@code timeout:}, else the run's. */
  private java.time.Duration timeout(Step step) {
    java.time.Duration own = step.timeout();
    return own.isZero() ? options.commandTimeout() : own;
  }

  private static String lastLines(String text) {
    String[] lines = text.split("\n");
    int from = Math.max(0, lines.length - 5);
    return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
  }

  /**
   * Reboots once and waits for a new boot_id. The reboot command's own session usually drops, so
   * its outcome is judged by the boot_id alone.
   */
  private Optional<String> reboot(Connection connection, FactSet facts) {
    String oldBootId = bootId(facts).orElse("");
    try {
      // Detached and delayed, so the session ends before the host goes down; bounded, because a
      // host that is already going down may never answer.
      connection.exec("(sleep 1; reboot) >/dev/null 2>&1 &", new byte[0], REBOOT_TRIGGER_TIMEOUT);
    } catch (TransportException e) {
      // The session dropping under the reboot is expected.
    }
    connection.close();
    long deadline = System.nanoTime() + options.rebootTimeout().toNanos();
    String lastError = "";
    while (System.nanoTime() < deadline) {
      sleep(500);
      try (Connection c = open()) {
        ExecResult r = c.exec("cat /proc/sys/kernel/random/boot_id", new byte[0], options.factTimeout());
        String now = r.stdoutText().strip();
        if (r.ok() && !now.isEmpty() && !now.equals(oldBootId)) {
          return Optional.empty();
        }
        lastError = "boot_id is still " + now;
      } catch (TransportException e) {
        lastError = e.getMessage();
      }
    }
    return Optional.of("rebooted, but the host did not come back with a new boot_id within "
        + options.rebootTimeout().toSeconds() + " s (" + lastError + ")");
  }

  private static Optional<String> bootId(FactSet facts) {
    return facts.get(Planner.BOOT_ID) instanceof FactResult.Content c ? Optional.of(c.text().strip()) : Optional.empty();
  }

  /** Re-reads facts and names every resource that did not converge (Terraform's consistency check). */
  /**
   * Re-reads the facts (or uses {@code current} when they are known to be fresh) and names every
   * resource that did not converge (Terraform's consistency check), and what still waits for a
   * reboot that should already have happened.
   */
  private Verification verify(Connection connection, Set<String> mustBeLive, FactSet current) {
    List<String> problems = new ArrayList<>();
    try {
      FactSet after = current != null ? current : FactReader.read(connection, planner.factsNeeded(catalog), options.factTimeout());
      HostPlan check = planner.plan(catalog, after, RebootPolicy.NEVER);
      for (Step s : check.steps()) {
        if (s.changes() && s.change().label() != Label.OPAQUE) {
          problems.add(s.id() + " did not converge: still " + s.change().before() + ", wanted " + s.change().after());
        }
      }
      List<String> stillPending = check.steps().stream()
          .filter(s -> s.change().rebootPending() && mustBeLive.contains(s.id()))
          .flatMap(s -> s.change().notes().isEmpty() ? java.util.stream.Stream.of(s.id())
              : s.change().notes().stream().map(n -> s.id() + ": " + n)).toList();
      if (!stillPending.isEmpty()) {
        problems.add("after one reboot the running state still differs from the next boot; not rebooting again: "
            + String.join("; ", stillPending));
      }
      return new Verification(problems, check.rebootPending());
    } catch (TransportException e) {
      problems.add("could not re-read facts to verify the result: " + e.getMessage());
      return new Verification(problems, true);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double since(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}

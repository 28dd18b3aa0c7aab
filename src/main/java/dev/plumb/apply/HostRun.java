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
    Connection none = new Connection() {
      @Override
      public String host() {
        return catalog.host().name();
      }

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
    };
    if (recorded.asRead().isEmpty()) {
      return new HostResult(catalog.host().name(), Outcome.FAILED, Optional.empty(), List.of(),
          List.of("no facts are recorded for this host; run check or apply with --record first"), 0, false, since(start),
          Optional.empty());
    }
    List<String> missing = planner.factsNeeded(catalog).stream()
        .filter(f -> !recorded.asRead().containsKey(f)).map(String::valueOf).toList();
    if (!missing.isEmpty()) {
      return new HostResult(catalog.host().name(), Outcome.FAILED, Optional.empty(), List.of(),
          List.of("the recorded facts lack " + missing.size() + " fact(s) this playbook needs (first: " + missing.get(0)
              + "); run plan without --facts-from to read them"), 0, false, since(start), Optional.empty());
    }
    return planAndRun(recorded, none, start).withFacts(recorded);
  }

  HostResult run() {
    long start = System.nanoTime();
    String name = catalog.host().name();
    Connection connection;
    try {
      connection = open();
    } catch (TransportException e) {
      return new HostResult(name, Outcome.UNREACHABLE, Optional.empty(), List.of(), List.of(e.getMessage()), 0, false, since(start), Optional.empty());
    }
    try {
      FactSet facts;
      try {
        facts = FactReader.read(connection, planner.factsNeeded(catalog), options.factTimeout());
      } catch (TransportException e) {
        return new HostResult(name, e.unreachable() ? Outcome.UNREACHABLE : Outcome.FAILED, Optional.empty(),
            List.of(), List.of(e.getMessage()), execs.get(), false, since(start), Optional.empty());
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
      return new HostResult(name, outcome, Optional.of(plan), List.of(), lintErrors, execs.get(), false, since(start), Optional.empty());
    }
    if (!lintErrors.isEmpty()) {
      return new HostResult(name, Outcome.FAILED, Optional.of(plan), List.of(), lintErrors, execs.get(), false, since(start), Optional.empty());
    }
    return apply(plan, facts, connection, start);
  }

  /** Opens a connection whose execs are counted for this host's result. */
  private Connection open() throws TransportException {
    Connection c = connector.open(catalog.host());
    return new Connection() {
      @Override
      public String host() {
        return c.host();
      }

      @Override
      public ExecResult exec(String command, byte[] stdin, java.time.Duration timeout) throws TransportException {
        execs.incrementAndGet();
        return c.exec(command, stdin, timeout);
      }

      @Override
      public int execCount() {
        return c.execCount();
      }

      @Override
      public void close() {
        c.close();
      }
    };
  }

  private HostResult apply(HostPlan plan, FactSet facts, Connection connection, long start) {
    String name = catalog.host().name();
    Map<String, StepResult> results = new LinkedHashMap<>();
    boolean connectionLost = false;
    int commandsRun = 0;
    for (Step step : plan.steps()) {
      StepResult result;
      if (connectionLost) {
        result = new StepResult(step.id(), Status.SKIPPED, "the connection to the host was lost", 0);
      } else {
        Optional<String> skip = skipReason(step, results);
        if (skip.isPresent()) {
          result = new StepResult(step.id(), Status.SKIPPED, skip.get(), 0);
        } else if (!step.change().blockers().isEmpty()) {
          result = new StepResult(step.id(), Status.BLOCKED, String.join("; ", step.change().blockers()), 0);
        } else if (!step.changes() || step.change().commands().isEmpty()) {
          result = new StepResult(step.id(), step.changes() ? Status.CHANGED : Status.OK, "", 0);
        } else {
          result = runCommands(step, connection);
          connectionLost = result.message().startsWith("connection lost");
        }
      }
      commandsRun += result.commandsRun();
      results.put(step.id(), result);
    }
    List<StepResult> stepResults = List.copyOf(results.values());
    boolean failed = stepResults.stream().anyMatch(r -> r.status().failed());
    if (failed) {
      List<String> problems = stepResults.stream().filter(r -> r.status().failed())
          .map(r -> r.id() + " " + r.status().word() + ": " + r.message()).toList();
      return new HostResult(name, Outcome.FAILED, Optional.of(plan), stepResults, problems, execs.get(), false, since(start), Optional.empty());
    }
    boolean rebooted = false;
    List<String> problems = new ArrayList<>();
    if (plan.rebootPlanned()) {
      Optional<String> rebootProblem = reboot(connection, facts);
      if (rebootProblem.isPresent()) {
        return new HostResult(name, Outcome.FAILED, Optional.of(plan), stepResults, List.of(rebootProblem.get()),
            execs.get(), false, since(start), Optional.empty());
      }
      rebooted = true;
    }
    if (commandsRun > 0 || rebooted) {
      problems.addAll(verify(rebooted ? null : connection, rebooted));
    }
    boolean changed = commandsRun > 0 || rebooted;
    Outcome outcome = !problems.isEmpty() ? Outcome.FAILED : changed ? Outcome.CHANGED : Outcome.CONVERGED;
    return new HostResult(name, outcome, Optional.of(plan), stepResults, problems, execs.get(), rebooted, since(start), Optional.empty());
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
        ExecResult r = connection.exec(command.line(), command.stdin(), options.commandTimeout());
        ran++;
        if (!r.ok()) {
          String err = r.stderrText().strip();
          String out = r.stdoutText().strip();
          String detail = !err.isEmpty() ? err : out;
          return new StepResult(step.id(), Status.FAILED,
              "`" + command.shown() + "` exited " + r.exitStatus() + (detail.isEmpty() ? "" : ": " + lastLines(detail)), ran);
        }
      } catch (TransportException e) {
        return new StepResult(step.id(), Status.FAILED, "connection lost while running `" + command.shown() + "`: " + e.getMessage(), ran);
      }
    }
    return new StepResult(step.id(), Status.CHANGED, "", ran);
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
      connection.exec("(sleep 1; reboot) >/dev/null 2>&1 &", new byte[0], options.commandTimeout());
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
  private List<String> verify(Connection existing, boolean rebooted) {
    List<String> problems = new ArrayList<>();
    Connection connection = existing;
    try {
      if (connection == null) {
        connection = open();
      }
      FactSet after = FactReader.read(connection, planner.factsNeeded(catalog), options.factTimeout());
      HostPlan check = planner.plan(catalog, after, RebootPolicy.NEVER);
      for (Step s : check.steps()) {
        if (s.changes() && s.change().label() != Label.OPAQUE) {
          problems.add(s.id() + " did not converge: still " + s.change().before() + ", wanted " + s.change().after());
        }
      }
      if (rebooted && check.rebootPending()) {
        List<String> notes = check.steps().stream().filter(s -> s.change().rebootPending())
            .flatMap(s -> s.change().notes().stream().map(n -> s.id() + ": " + n)).toList();
        problems.add("after one reboot the running state still differs from the next boot; not rebooting again: "
            + String.join("; ", notes));
      }
    } catch (TransportException e) {
      problems.add("could not re-read facts to verify the result: " + e.getMessage());
    } finally {
      if (connection != null && connection != existing) {
        connection.close();
      }
    }
    return problems;
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

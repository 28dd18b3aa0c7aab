package dev.plumb.apply;

import dev.plumb.apply.HostResult.Outcome;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.load.HostCatalog;
import dev.plumb.modules.TakesEffect;
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.Planner;
import dev.plumb.plan.RebootPolicy;
import dev.plumb.plan.Step;
import dev.plumb.source.Problem;
import dev.plumb.transport.Connection;
import dev.plumb.transport.ExecResult;
import dev.plumb.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One host's run, in phases: connect, read facts (one exec), plan; for apply run the plan's steps
 * ({@link Phase}, {@link StepExecutor}), reboot at the barrier when allowed ({@link Reboot}), then
 * make an explicit second plan from the facts read after the reboot and run it, and finally re-read
 * the facts and verify ({@link Verification}). Each phase is planned once, here; nothing below
 * plans again on its own.
 *
 * <p>Whatever escapes a phase (a bug) ends this host's run as a failure that keeps the plan and the
 * step results so far; the other hosts go on.
 *
 * <p>One class over 250 lines because it is the one place that orders a host's phases and decides
 * between them (the lease, whether to reboot, reboot memory across runs via {@link RebootMemory});
 * what each phase does lives in its own class.
 */
final class HostRun {
  private static final Duration REBOOT_POLL = Duration.ofMillis(500);

  private final HostCatalog catalog;
  private final Connector connector;
  private final Planner planner;
  private final RunOptions options;
  private final StepExecutor executor;
  private final Duration rebootPoll;
  private final AtomicInteger execs = new AtomicInteger();

  // What the run has done so far, so that a failure escaping a phase still reports it.
  private HostPlan plan;
  private Phase first;
  /** Changes the run's policy left (apply --only drift): not a failure to converge. */
  private Set<String> left = Set.of();
  private long start;
  /** The reboot an earlier run tried on this host and did not see take, as read with the facts. */
  private Optional<RebootMemory.Attempt> earlierReboot = Optional.empty();

  private final PlanSource plans;

  HostRun(HostCatalog catalog, Connector connector, Planner planner, RunOptions options) {
    this(catalog, connector, planner, options, REBOOT_POLL);
  }

  HostRun(HostCatalog catalog, Connector connector, Planner planner, RunOptions options, PlanSource plans) {
    this(catalog, connector, planner, options, REBOOT_POLL, plans);
  }

  /** For tests: {@code rebootPoll} is the pause between two tries to reach a rebooting host. */
  HostRun(HostCatalog catalog, Connector connector, Planner planner, RunOptions options, Duration rebootPoll) {
    this(catalog, connector, planner, options, rebootPoll, PlanSource.planning(planner));
  }

  /** {@code plans}: where the host's plan comes from once its facts are read (a saved plan may refuse the host). */
  HostRun(HostCatalog catalog, Connector connector, Planner planner, RunOptions options, Duration rebootPoll,
      PlanSource plans) {
    this.catalog = catalog;
    this.connector = connector;
    this.planner = planner;
    this.options = options;
    this.executor = new StepExecutor(options.commandTimeout());
    this.rebootPoll = rebootPoll;
    this.plans = plans;
  }

  private String name() {
    return catalog.host().name();
  }

  /** Plans from facts recorded earlier (plan --facts-from): no host is contacted. */
  HostResult planFrom(FactSet recorded) {
    start = System.nanoTime();
    if (recorded.asRead().isEmpty()) {
      return HostResult.withoutPlan(name(), Outcome.FAILED,
          "no facts are recorded for this host; run check or apply with --record first", 0, since(start));
    }
    List<String> missing = planner.factsNeeded(catalog).stream()
        .filter(f -> !recorded.asRead().containsKey(f)).map(String::valueOf).toList();
    if (!missing.isEmpty()) {
      return HostResult.withoutPlan(name(), Outcome.FAILED, "the recorded facts lack " + missing.size()
          + " fact(s) this playbook needs (first: " + missing.get(0) + "); run plan without --facts-from to read them",
          0, since(start));
    }
    PlanSource.Decision decision = plans.plan(catalog, recorded, options.reboot());
    if (decision instanceof PlanSource.Refuse refused) {
      return HostResult.withoutPlan(name(), Outcome.FAILED, refused.reason(), 0, since(start));
    }
    plan = ((PlanSource.Run) decision).plan();
    return planned().withFacts(recorded);
  }

  HostResult run() {
    start = System.nanoTime();
    try {
      return connectAndRun();
    } catch (RuntimeException e) {
      return stopped(e);
    }
  }

  private HostResult connectAndRun() {
    Connection connection;
    try {
      connection = open();
    } catch (TransportException e) {
      return HostResult.withoutPlan(name(), Outcome.UNREACHABLE, e.getMessage(), 0, since(start));
    }
    try {
      FactSet facts;
      try {
        facts = readWithProbe(connection);
      } catch (TransportException e) {
        Outcome outcome = e.kind() == TransportException.Kind.UNREACHABLE ? Outcome.UNREACHABLE : Outcome.FAILED;
        return HostResult.withoutPlan(name(), outcome, e.getMessage(), execs.get(), since(start));
      }
      Optional<String> leasedBy = Lease.heldBy(facts);
      long generation = Lease.generation(facts);
      earlierReboot = RebootMemory.read(facts);
      facts = withoutProbe(facts);
      PlanSource.Decision decision = plans.plan(catalog, facts, options.reboot());
      if (decision instanceof PlanSource.Refuse refused) {
        return HostResult.withoutPlan(name(), Outcome.FAILED, refused.reason(), execs.get(), since(start)).withFacts(facts);
      }
      plan = ((PlanSource.Run) decision).plan();
      if (options.mode() != Mode.APPLY) {
        // plan and check take no lease, but say when an apply is under way (they may see a host mid-change).
        return planned().withFacts(facts).withLeasedBy(leasedBy);
      }
      if (plan.problems().stream().anyMatch(Problem::isError)) {
        return planned().withFacts(facts);
      }
      // A converged host needs no lease: nothing will change there.
      return plan.hasChanges() ? underLease(facts, generation, connection) : apply(facts, connection).withFacts(facts);
    } finally {
      connection.close();
    }
  }

  /**
   * apply, on a host with something to do: it is changed only under its lease. When another run
   * held the lease since the facts were read (the generation moved by more than this run's own
   * step), they are read again, so that what that run changed is not done twice.
   */
  private HostResult underLease(FactSet facts, long generation, Connection connection) {
    Lease.Attempt attempt;
    try {
      attempt = Lease.acquire(connection, options.holder(), options.factTimeout());
    } catch (TransportException e) {
      return HostResult.withoutPlan(name(), Outcome.FAILED, "could not take the host's lease: " + e.getMessage(),
          execs.get(), since(start)).withFacts(facts);
    }
    if (attempt instanceof Lease.Attempt.Busy busy) {
      return HostResult.locked(name(), busy.describe(), plan, execs.get(), since(start)).withFacts(facts);
    }
    if (attempt instanceof Lease.Attempt.Unavailable u) {
      return HostResult.withoutPlan(name(), Outcome.FAILED, "could not take the host's lease: " + u.reason(),
          execs.get(), since(start)).withFacts(facts);
    }
    Lease.Attempt.Acquired acquired = (Lease.Attempt.Acquired) attempt;
    try (Lease lease = acquired.lease()) {
      if (generation >= 0 && acquired.generation() == generation + 1) {
        return apply(facts, connection).withFacts(facts);
      }
      FactSet now;
      try {
        now = read(connection);
      } catch (TransportException e) {
        Outcome outcome = e.kind() == TransportException.Kind.UNREACHABLE ? Outcome.UNREACHABLE : Outcome.FAILED;
        return HostResult.withoutPlan(name(), outcome, e.getMessage(), execs.get(), since(start)).withFacts(facts);
      }
      // Planned again from the facts read under the lease (a saved plan checks them again, too).
      PlanSource.Decision again = plans.plan(catalog, now, options.reboot());
      if (again instanceof PlanSource.Refuse refused) {
        return HostResult.withoutPlan(name(), Outcome.FAILED, refused.reason(), execs.get(), since(start)).withFacts(now);
      }
      plan = ((PlanSource.Run) again).plan();
      if (plan.problems().stream().anyMatch(Problem::isError)) {
        return planned().withFacts(now);
      }
      return apply(now, connection).withFacts(now);
    }
  }

  private FactSet readWithProbe(Connection connection) throws TransportException {
    List<dev.plumb.facts.Fact> all = new java.util.ArrayList<>(planner.factsNeeded(catalog));
    all.add(Lease.PROBE);
    all.add(RebootMemory.FACT);
    return FactReader.read(connection, all, options.factTimeout());
  }

  private static FactSet withoutProbe(FactSet facts) {
    java.util.Map<dev.plumb.facts.Fact, FactResult> read = new java.util.LinkedHashMap<>(facts.asRead());
    read.remove(Lease.PROBE);
    read.remove(RebootMemory.FACT);
    return FactSet.of(read);
  }

  /**
   * The reboot ended the session that held the lease (and emptied /run): take it again before the
   * second phase. Another run that got in between wins; this one stops.
   */
  private Lease leaseAfterReboot(Connection again) throws TransportException {
    Lease.Attempt attempt = Lease.acquire(again, options.holder(), options.factTimeout());
    if (attempt instanceof Lease.Attempt.Acquired a) {
      return a.lease();
    }
    String why = attempt instanceof Lease.Attempt.Busy b ? "it is held by " + b.describe()
        : ((Lease.Attempt.Unavailable) attempt).reason();
    throw new TransportException("could not take the host's lease again after the reboot: " + why, false);
  }

  /** plan and check, or apply stopped by lint errors: the verdict on the plan. */
  private HostResult planned() {
    List<String> lintErrors = plan.problems().stream().filter(Problem::isError).map(Problem::render).toList();
    Outcome outcome = !lintErrors.isEmpty() ? Outcome.FAILED : plan.hasChanges() ? Outcome.CHANGED : Outcome.CONVERGED;
    return HostResult.planned(name(), outcome, plan, lintErrors, execs.get(), since(start));
  }

  private HostResult apply(FactSet facts, Connection connection) {
    if (earlierReboot.isPresent() && !plan.rebootPending()) {
      // Nothing waits for a reboot: what the remembered one was for is live now (it took, and the
      // run that did it was stopped before it could say so) or no longer declared.
      forgetEarlierReboot(connection);
    }
    first = Phase.run(plan, connection, executor, plan.rebootPlanned(), step -> options.policy().leave(name(), plan, step));
    if (first.failed()) {
      return applied(Outcome.FAILED, first.failures(), null, null, plan.rebootPending());
    }
    if (!plan.rebootPlanned()) {
      if (first.commandsRun() == 0) {
        return applied(Outcome.CONVERGED, List.of(), null, null, plan.rebootPending());
      }
      left = first.waiting();
      Verification v = verify(connection, Set.of(), null);
      return applied(v.converged() ? Outcome.CHANGED : Outcome.FAILED, v.problems(), null, null, v.rebootPending());
    }
    // The reboot barrier: the plan says a reboot is due and the policy allows it. Whether it still is
    // comes from the facts read now: a step may have made its change live itself (an installer that
    // loads its driver), and a run killed just after a reboot that took finds only such changes left.
    FactSet due;
    try {
      due = read(connection);
    } catch (TransportException e) {
      return applied(Outcome.FAILED, List.of("could not read the facts before the reboot: " + e.getMessage()),
          null, null, true);
    }
    HostPlan now = planner.plan(catalog, due, RebootPolicy.NEVER);
    if (!now.rebootPending()) {
      if (earlierReboot.isPresent()) {
        forgetEarlierReboot(connection);
      }
      left = first.waiting();
      Verification v = verify(connection, Set.of(), due);
      return applied(v.converged() ? Outcome.CHANGED : Outcome.FAILED, v.problems(), null, null, v.rebootPending());
    }
    // The host may still refuse it when an earlier reboot for the same cause did not take.
    String bootBefore = bootId(due);
    Map<String, String> cause = RebootMemory.cause(catalog, now);
    Optional<String> refused = options.rebootAgain() ? Optional.empty()
        : earlierReboot.flatMap(a -> a.refuses(bootBefore, cause, RebootMemory.running(now)));
    if (refused.isPresent()) {
      return applied(Outcome.FAILED, List.of(refused.get()), null, null, true);
    }
    try {
      RebootMemory.remember(connection, new RebootMemory.Attempt(bootBefore, Instant.now(), cause, RebootMemory.expected(now)));
    } catch (TransportException e) {
      return applied(Outcome.FAILED, List.of(e.getMessage() + "; not rebooting without it"), null, null, true);
    }
    Duration rebootTimeout = dev.plumb.load.RebootTimeout.of(catalog.host()).orElse(options.rebootTimeout());
    Optional<String> rebootProblem = new Reboot(this::open, rebootTimeout, options.factTimeout(), rebootPoll)
        .run(connection, bootBefore);
    if (rebootProblem.isPresent()) {
      return applied(Outcome.FAILED, List.of(rebootProblem.get()), null, null, true);
    }
    KillSwitch.boundary();
    return afterReboot();
  }

  /**
   * Phase 2: an explicit new plan from the facts read after the one reboot. Steps that were blocked
   * until it (the driver while nouveau was loaded) run now; no second reboot, whatever they need.
   */
  private HostResult afterReboot() {
    try (Connection again = open(); Lease lease = leaseAfterReboot(again)) {
      FactSet after = read(again);
      HostPlan second = planner.plan(catalog, after, RebootPolicy.NEVER);
      Phase phase2 = Phase.run(second, again, executor, false, step -> options.policy().leave(name(), second, step));
      if (phase2.failed()) {
        return applied(Outcome.FAILED, phase2.failures(), second, phase2, second.rebootPending());
      }
      Set<String> mustBeLive = new HashSet<>();
      for (Step s : plan.steps()) {
        boolean neededTheReboot = s.change().rebootPending()
            || (s.changes() && s.change().takesEffect() instanceof TakesEffect.AfterReboot);
        if (neededTheReboot && !phase2.results().containsKey(s.id())) {
          mustBeLive.add(s.id());
        }
      }
      // Facts read just after the reboot are still current when the second phase ran nothing.
      left = new HashSet<>(first.waiting());
      left.addAll(phase2.waiting());
      Verification v = verify(again, mustBeLive, phase2.commandsRun() == 0 ? after : null);
      if (v.rebootTook()) {
        forgetEarlierReboot(again);
      }
      return applied(v.converged() ? Outcome.CHANGED : Outcome.FAILED, v.problems(), second, phase2, v.rebootPending());
    } catch (TransportException e) {
      return applied(Outcome.FAILED, List.of("rebooted, but could not plan again afterwards: " + e.getMessage()),
          null, null, true);
    }
  }

  /** Removes the host's record of a reboot attempt; one left behind is removed by the next run that finds nothing pending. */
  private void forgetEarlierReboot(Connection connection) {
    try {
      RebootMemory.forget(connection);
    } catch (TransportException e) {
      // Harmless: the record only refuses a reboot for a cause that is still pending, and the next
      // run that finds nothing pending removes it.
    }
  }

  /** Re-reads the facts (or uses {@code current} when they are known to be fresh) and verifies. */
  private Verification verify(Connection connection, Set<String> mustBeLive, FactSet current) {
    try {
      FactSet after = current != null ? current : read(connection);
      return Verification.of(planner, catalog, after, mustBeLive, left);
    } catch (TransportException e) {
      return Verification.unreadable(e.getMessage());
    }
  }

  /** An apply result; {@code second} and {@code phase2} are null when there was no second phase. */
  private HostResult applied(Outcome outcome, List<String> problems, HostPlan second, Phase phase2, boolean rebootPending) {
    return new HostResult(name(), outcome, Optional.of(plan), List.copyOf(first.results().values()), problems,
        execs.get(), second != null, since(start), Optional.empty(), Optional.ofNullable(second),
        phase2 == null ? List.of() : List.copyOf(phase2.results().values()), rebootPending, Optional.empty());
  }

  /** Something escaped a phase: this host fails with what it did so far; never a bare "internal error". */
  private HostResult stopped(RuntimeException e) {
    String why = "plumb stopped on this host: " + e + " (a bug in plumb; please report it)";
    if (plan == null) {
      return HostResult.withoutPlan(name(), Outcome.FAILED, why, execs.get(), since(start));
    }
    List<StepResult> done = first == null ? List.of() : List.copyOf(first.results().values());
    return new HostResult(name(), Outcome.FAILED, Optional.of(plan), done, List.of(why), execs.get(), false,
        since(start), Optional.empty(), Optional.empty(), List.of(), plan.rebootPending(), Optional.empty());
  }

  private FactSet read(Connection connection) throws TransportException {
    return FactReader.read(connection, planner.factsNeeded(catalog), options.factTimeout());
  }

  /** Opens a connection whose execs are counted for this host's result. */
  private Connection open() throws TransportException {
    return new Counting(connector.open(catalog.host()), execs);
  }

  private static String bootId(FactSet facts) {
    return facts.get(Planner.BOOT_ID) instanceof FactResult.Content c ? c.text().strip() : "";
  }

  private static double since(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Counts every exec, over however many connections a run opens (a reboot needs new ones). */
  private record Counting(Connection inner, AtomicInteger count) implements Connection {
    @Override
    public String host() {
      return inner.host();
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
      count.incrementAndGet();
      return inner.exec(command, stdin, timeout);
    }

    @Override
    public Held hold(String command, byte[] stdin) throws TransportException {
      count.incrementAndGet();
      return inner.hold(command, stdin);
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
}

package dev.plumb.apply;

import dev.plumb.load.Catalog;
import dev.plumb.load.HostCatalog;
import dev.plumb.plan.Planner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs plan, check or apply over every host of a catalog, {@code forks} hosts at a time. A failure
 * on one host never stops the others. Results come back in inventory order.
 */
public final class Runner {
  private final Planner planner;
  private final Connector connector;
  private final java.util.function.Function<String, java.util.Optional<dev.plumb.facts.FactSet>> recorded;
  private final PlanSource plans;

  public Runner(Planner planner, Connector connector) {
    this(planner, connector, host -> java.util.Optional.empty());
  }

  /**
   * A runner that plans hosts with recorded facts from {@code recorded} (by host name) without
   * contacting them; only for {@link Mode#PLAN}.
   */
  public Runner(Planner planner, Connector connector,
      java.util.function.Function<String, java.util.Optional<dev.plumb.facts.FactSet>> recorded) {
    this(planner, connector, recorded, PlanSource.planning(planner));
  }

  private Runner(Planner planner, Connector connector,
      java.util.function.Function<String, java.util.Optional<dev.plumb.facts.FactSet>> recorded, PlanSource plans) {
    this.planner = planner;
    this.connector = connector;
    this.recorded = recorded;
    this.plans = plans;
  }

  /** The same runner taking each host's plan from {@code plans} (a saved plan) instead of planning it. */
  public Runner withPlans(PlanSource plans) {
    return new Runner(planner, connector, recorded, plans);
  }

  /** Runs every host; {@code progress} hears of each host as it finishes (from worker threads). */
  public List<HostResult> run(Catalog catalog, RunOptions options, Consumer<HostResult> progress) {
    List<HostCatalog> hosts = catalog.hosts();
    if (hosts.isEmpty()) {
      return List.of();
    }
    int threads = Math.min(options.forks(), hosts.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "plumb-host");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<HostResult>> futures = new ArrayList<>();
      for (HostCatalog host : hosts) {
        futures.add(pool.submit(() -> {
          HostResult result = runOne(host, options);
          progress.accept(result);
          return result;
        }));
      }
      List<HostResult> results = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        results.add(join(futures.get(i), hosts.get(i)));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private HostResult runOne(HostCatalog host, RunOptions options) {
    try {
      HostRun run = new HostRun(host, connector, planner, options, plans);
      if (options.mode() == Mode.PLAN) {
        java.util.Optional<dev.plumb.facts.FactSet> facts = recorded.apply(host.host().name());
        if (facts.isPresent()) {
          return run.planFrom(facts.get());
        }
      }
      return run.run();
    } catch (RuntimeException e) {
      // HostRun reports what escapes its phases itself, with the steps it ran; this is the last
      // guard (planning from recorded facts), so that a bug never takes the other hosts down.
      return HostResult.withoutPlan(host.host().name(), HostResult.Outcome.FAILED,
          "plumb stopped on this host: " + e + " (a bug in plumb; please report it)", 0, 0);
    }
  }

  private static HostResult join(Future<HostResult> future, HostCatalog host) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + host.host().name(), e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("host run crashed: " + host.host().name(), e.getCause());
    }
  }
}

package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.apply.HostResult.Outcome;
import dev.plumb.apply.StepPolicy;
import dev.plumb.apply.StepResult;
import dev.plumb.drift.Classes;
import dev.plumb.drift.Converged;
import dev.plumb.drift.Declared;
import dev.plumb.drift.DriftClass;
import dev.plumb.ledger.Ledger;
import dev.plumb.load.Catalog;
import dev.plumb.load.HostCatalog;
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Drift told apart from rollout for one run: what each host declares now (digests) and what the
 * ledger says each host last converged to ({@code hosts/<host>/converged.json}).
 *
 * <p>Both are read when first needed, once: a run whose plans change nothing never opens the
 * ledger (JGit's classes and the repository's read were a third of a converged one-host check's
 * start), and a host with no record needs no digests (a difference on a resource never recorded
 * converged is of unknown class whatever it declares). Nothing writes the ledger during a run: it
 * is recorded after the report, so a read at first need sees what a read before the run saw.
 */
final class DriftLedger {
  static final String WAITING = "waiting for a reviewed apply";

  /**
   * Each host's declaration digests, by the host's catalog object (weak keys compare by identity):
   * a watch loads once and plans the same catalogs every cycle, and digesting every resource of
   * every host was a tenth of a cycle's CPU. A reload makes new catalogs, digested anew.
   */
  private static final com.google.common.cache.LoadingCache<HostCatalog, Map<String, String>> DECLARED =
      com.google.common.cache.CacheBuilder.newBuilder().weakKeys()
          .build(com.google.common.cache.CacheLoader.from(hc -> java.util.Collections.unmodifiableMap(Declared.digests(hc))));

  private final Map<String, HostCatalog> hosts = new LinkedHashMap<>();
  private final Path playbook;
  private Map<String, Converged> records;

  private DriftLedger(Catalog catalog, Path playbook) {
    catalog.hosts().forEach(hc -> hosts.put(hc.host().name(), hc));
    this.playbook = playbook;
  }

  /** The records of the catalog's hosts in the ledger of the playbook's repository (none when there is none), read at first need. */
  static DriftLedger load(Catalog catalog, Path playbook) {
    return new DriftLedger(catalog, playbook);
  }

  private synchronized Map<String, Converged> records() {
    if (records == null) {
      records = read(hosts.keySet(), playbook);
    }
    return records;
  }

  private static Map<String, Converged> read(Set<String> hosts, Path playbook) {
    Map<String, Converged> records = new HashMap<>();
    try {
      Optional<Ledger> found = Ledger.find(playbook.toAbsolutePath().getParent());
      if (found.isPresent()) {
        try (Ledger ledger = found.get()) {
          for (String host : hosts) {
            ledger.read(path(host)).flatMap(b -> Converged.parse(new String(b, StandardCharsets.UTF_8)))
                .ifPresent(c -> records.put(host, c));
          }
        }
      }
    } catch (IOException e) {
      // No readable ledger: every difference is of unknown class, treated as a rollout.
    }
    return records;
  }

  static String path(String host) {
    return "hosts/" + host + "/converged.json";
  }

  private Converged record(String host) {
    return records().getOrDefault(host, Converged.none());
  }

  private Map<String, String> declared(String host) {
    HostCatalog hc = hosts.get(host);
    return hc == null ? Map.of() : DECLARED.getUnchecked(hc);
  }

  /** The class of every change of the host's plan. */
  Map<String, DriftClass> classes(HostResult r) {
    return r.plan().map(p -> classes(r.host(), p)).orElse(Map.of());
  }

  Map<String, DriftClass> classes(String host, HostPlan plan) {
    if (plan.steps().stream().noneMatch(Step::changes)) {
      return Map.of();
    }
    Converged record = record(host);
    return Classes.of(plan, record.resources().isEmpty() ? Map.of() : declared(host), record);
  }

  /** The classes of every host of a run, for the report. */
  Map<String, Map<String, DriftClass>> classes(Iterable<HostResult> results) {
    Map<String, Map<String, DriftClass>> out = new LinkedHashMap<>();
    results.forEach(r -> out.put(r.host(), classes(r)));
    return out;
  }

  /** apply --only drift: a change that is not drift waits for a reviewed apply. */
  StepPolicy onlyDrift() {
    return (host, plan, step) -> {
      DriftClass c = classes(host, plan).get(step.id());
      if (c == null || c.correctable()) {
        return Optional.empty();
      }
      return Optional.of(c == DriftClass.ROLLOUT
          ? "rollout (the declaration changed since this host last converged): " + WAITING
          : "unknown class (never converged under a recorded run): " + WAITING);
    };
  }

  /**
   * The ledger files recording what this run saw converged: per host, every resource found
   * converged (check, plan) or left converged (apply, verified), with its declaration's digest.
   * Resources that still differ keep their earlier record: that is what tells drift from rollout.
   */
  Map<String, byte[]> convergedFiles(RunReport report, String runId, Instant at) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (HostResult r : report.hosts()) {
      if (r.plan().isEmpty() || r.outcome() == Outcome.LOCKED || r.outcome() == Outcome.UNREACHABLE) {
        continue;
      }
      HostPlan plan = r.plan().get();
      Set<String> converged = new LinkedHashSet<>();
      boolean applied = report.mode() == dev.plumb.apply.Mode.APPLY
          && (r.outcome() == Outcome.CHANGED || r.outcome() == Outcome.CONVERGED);
      Set<String> waiting = new LinkedHashSet<>();
      r.steps().stream().filter(s -> s.status() == StepResult.Status.WAITING).forEach(s -> waiting.add(s.id()));
      r.afterRebootSteps().stream().filter(s -> s.status() == StepResult.Status.WAITING).forEach(s -> waiting.add(s.id()));
      for (Step s : plan.steps()) {
        if (applied ? !waiting.contains(s.id()) : !s.changes()) {
          converged.add(s.id());
        }
      }
      if (converged.isEmpty()) {
        continue;
      }
      Converged next = record(r.host()).with(converged, declared(r.host()), runId, at);
      files.put(path(r.host()), next.toJson().getBytes(StandardCharsets.UTF_8));
    }
    return files;
  }
}

package dev.plumb.plan;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.load.HostCatalog;
import dev.plumb.load.Resource;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.HostLint;
import dev.plumb.modules.Label;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Problems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a host's catalog and facts into its ordered plan. Pure: no I/O, so a plan made from
 * recorded facts is the plan apply would run.
 */
public final class Planner {
  /** Read on every host: a reboot is verified by this changing. */
  public static final Fact BOOT_ID = Fact.file("/proc/sys/kernel/random/boot_id");

  private final List<HostLint> lints;
  private final boolean coalesceRebuilds;

  public Planner(List<HostLint> lints) {
    this(lints, true);
  }

  private Planner(List<HostLint> lints, boolean coalesceRebuilds) {
    this.lints = List.copyOf(lints);
    this.coalesceRebuilds = coalesceRebuilds;
  }

  /**
   * The same planner, but each step keeps its own rebuild commands. For a run that may leave some
   * steps (apply or watch {@code --only drift}): a rebuild moved to a later step that the run then
   * leaves would never run, and the earlier step's edit would reach the next boot without it
   * (update-grub not run after /etc/default/grub changed). Running it twice is the lesser cost.
   */
  public Planner withoutRebuildCoalescing() {
    return new Planner(lints, false);
  }

  /** Every fact the host's resources and lints need, deduplicated, in first-use order. */
  public Set<Fact> factsNeeded(HostCatalog catalog) {
    Set<Fact> facts = new LinkedHashSet<>();
    facts.add(BOOT_ID);
    for (Resource r : catalog.resources()) {
      facts.addAll(r.module().facts(r.params()));
    }
    facts.addAll(lintFacts(catalog));
    if (catalog.resources().stream().anyMatch(Resource::handler)) {
      facts.add(DueHandlers.FACT);
    }
    return facts;
  }

  private List<Fact> lintFacts(HostCatalog catalog) {
    List<HostLint.Declared> declared = declared(catalog);
    List<Fact> facts = new ArrayList<>();
    lints.forEach(l -> facts.addAll(l.facts(declared)));
    return facts;
  }

  private static List<HostLint.Declared> declared(HostCatalog catalog) {
    return catalog.resources().stream()
        .map(r -> new HostLint.Declared(r.id(), r.module(), r.params(), r.notifies())).toList();
  }

  /** The plan for one host. */
  public HostPlan plan(HostCatalog catalog, FactSet facts, RebootPolicy reboot) {
    Problems problems = new Problems();
    List<HostLint.Declared> declared = declared(catalog);
    for (HostLint lint : lints) {
      lint.checkWithFacts(declared, facts, problems);
    }

    DependencyGraph graph = DependencyGraph.of(catalog.resources());
    Map<String, Step> done = new LinkedHashMap<>();
    FactSet current = facts;
    List<Step> steps = new ArrayList<>();
    boolean rebootPending = false;
    Map<Fact, String> digests = new java.util.HashMap<>();
    Set<String> markers = DueHandlers.markers(facts);
    for (Resource r : graph.order()) {
      List<String> notifiedBy = r.handler() ? notifiers(r, catalog, done) : List.of();
      if (r.handler() && DueHandlers.due(markers, r.id())) {
        notifiedBy = new ArrayList<>(notifiedBy);
        notifiedBy.add(DueHandlers.EARLIER_RUN);
      }
      if (r.handler() && notifiedBy.isEmpty()) {
        continue;
      }
      FactSet view = current.view();
      Change change = diff(r, view);
      if (!r.handler() && change.action() == Action.RESTART) {
        change = opaqueRun(change);
      }
      if (change.label() == Label.OBSERVED && !view.overlaidPathsSeen().isEmpty()) {
        change = change.withLabel(Label.PREDICTED);
      }
      change = withDueMarkers(r, change);
      for (Map.Entry<String, FactResult> w : change.writes().entrySet()) {
        current = current.withFile(w.getKey(), w.getValue());
      }
      rebootPending |= change.rebootPending()
          || (change.changes() && change.takesEffect() instanceof TakesEffect.AfterReboot);
      Step step = new Step(steps.size() + 1, r.id(), r.type(), r.handler(), r.mark().toString(), r.timeout(), change,
          graph.predecessors(r), notifiedBy, digests(r, facts, digests));
      steps.add(step);
      done.put(r.id(), step);
    }
    boolean rebootPlanned = rebootPending && reboot == RebootPolicy.IF_NEEDED;
    return new HostPlan(catalog.host().name(), coalesceRebuilds ? coalesceRebuilds(steps) : steps, problems.all(), rebootPending,
        rebootPlanned);
  }

  /**
   * Equal rebuild commands ({@link dev.plumb.modules.Command#rebuild}) of several steps run once, in
   * the last step that has one and surely runs before a reboot (it is not blocked and waits for no
   * blocked step): that is after every change to the rebuilt file's inputs. The earlier steps keep
   * their own edits and say where their rebuild went. (kernel_cmdline and pci_passthrough's
   * vfio-pci.ids= both edit /etc/default/grub: update-grub ran twice.)
   */
  static List<Step> coalesceRebuilds(List<Step> steps) {
    Set<String> waiting = new java.util.HashSet<>();
    Map<dev.plumb.modules.Command, Step> last = new java.util.HashMap<>();
    for (Step s : steps) {
      if (!s.change().blockers().isEmpty() || s.dependsOn().stream().anyMatch(waiting::contains)) {
        waiting.add(s.id());
        continue;
      }
      s.change().commands().stream().filter(dev.plumb.modules.Command::rebuild).forEach(c -> last.put(c, s));
    }
    List<Step> out = new ArrayList<>();
    for (Step s : steps) {
      Change change = s.change();
      List<dev.plumb.modules.Command> kept = new ArrayList<>();
      List<String> moved = new ArrayList<>();
      for (dev.plumb.modules.Command c : change.commands()) {
        Step runsIt = c.rebuild() ? last.get(c) : null;
        if (runsIt != null && runsIt.index() > s.index() && !waiting.contains(s.id())) {
          moved.add(c.line() + " runs once, in step " + runsIt.index() + " (" + runsIt.id() + "), after it changes the same inputs");
        } else {
          kept.add(c);
        }
      }
      if (moved.isEmpty()) {
        out.add(s);
        continue;
      }
      change = change.withCommands(kept);
      for (String note : moved) {
        change = change.withNote(note);
      }
      out.add(new Step(s.index(), s.id(), s.type(), s.handler(), s.declaredAt(), s.timeout(), change, s.dependsOn(),
          s.notifiedBy(), s.facts()));
    }
    return out;
  }

  /**
   * A change that notifies handlers first marks them due on the host, and a handler's last command
   * clears its mark ({@link DueHandlers}): a run stopped in between leaves them due for the next.
   */
  private static Change withDueMarkers(Resource r, Change change) {
    if (!change.changes() || change.commands().isEmpty()) {
      return change;
    }
    List<dev.plumb.modules.Command> commands = new ArrayList<>();
    if (!r.notifies().isEmpty()) {
      commands.add(DueHandlers.mark(r.notifies()));
    }
    commands.addAll(change.commands());
    if (r.handler()) {
      commands.add(DueHandlers.clear(r.id()));
    }
    return change.withCommands(commands);
  }

  /** The digests of the facts the resource's module reads, as read from the host; each computed once. */
  private static Map<Fact, String> digests(Resource r, FactSet facts, Map<Fact, String> cache) {
    Map<Fact, String> out = new LinkedHashMap<>();
    for (Fact f : r.module().facts(r.params())) {
      FactResult read = facts.asRead().get(f);
      if (read != null) {
        out.put(f, cache.computeIfAbsent(f, k -> FactResult.digest(read)));
      }
    }
    return out;
  }

  /** A module that throws is a bug in plumb; the host's plan shows it as a blocked step. */
  private static Change diff(Resource r, FactSet view) {
    try {
      return r.module().diff(r.params(), view);
    } catch (RuntimeException e) {
      return Change.none("unknown")
          .withBlocker("plumb could not plan " + r.id() + " (" + e + "); please report this as a bug");
    }
  }

  /**
   * A restart declared outside {@code handlers:} has nothing to say whether it is needed, so it
   * runs every time and check reports it as opaque.
   */
  private static Change opaqueRun(Change restart) {
    return new Change(Action.RUN, restart.before(), restart.after(), restart.diff(), restart.commands(),
        restart.takesEffect(), Label.OPAQUE, restart.notes(), restart.blockers(), restart.writes(), restart.rebootPending());
  }

  private static List<String> notifiers(Resource handler, HostCatalog catalog, Map<String, Step> done) {
    List<String> ids = new ArrayList<>();
    for (Resource r : catalog.resources()) {
      Step s = done.get(r.id());
      if (s != null && s.changes() && r.notifies().contains(handler.id())) {
        ids.add(r.id());
      }
    }
    return ids;
  }
}

package dev.plumb.cli;

import dev.plumb.apply.PlanSource;
import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.Planner;
import dev.plumb.plan.Step;
import dev.plumb.text.Sensitive;
import dev.plumb.text.TextDiff;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code plumb apply FILE}'s checks of a {@link SavedPlan} against the present: the whole plan is
 * refused when a source file changed; a host when one of its facts moved, or when a command saved
 * as a digest (it carried a secret) is no longer made the same; otherwise the saved steps run.
 */
final class SavedPlanCheck {
  private SavedPlanCheck() {}

  /** The first source file that changed, appeared or went away since the plan was saved, with how. */
  static Optional<String> staleSource(SavedPlan.Loaded plan, List<Path> filesNow) throws IOException {
    for (Map.Entry<String, String> f : plan.files().entrySet()) {
      Path path = Path.of(f.getKey());
      try {
        String now = FactResult.sha256(Files.readAllBytes(path));
        if (!now.equals(f.getValue())) {
          return Optional.of(f.getKey() + " changed since the plan was saved (sha256 " + f.getValue().substring(0, 12)
              + " then, " + now.substring(0, 12) + " now)");
        }
      } catch (NoSuchFileException e) {
        return Optional.of(f.getKey() + " was deleted since the plan was saved");
      }
    }
    for (Path p : filesNow) {
      if (!plan.files().containsKey(p.toString())) {
        return Optional.of(p + " appeared since the plan was saved (it is read with the inventory or playbook)");
      }
    }
    return Optional.empty();
  }

  /** The reboot is apply's decision (its --reboot): planned as the planner does, when the saved plan has one pending. */
  private static HostPlan withReboot(HostPlan plan, dev.plumb.plan.RebootPolicy reboot) {
    boolean planned = plan.rebootPlanned() || (plan.rebootPending() && reboot == dev.plumb.plan.RebootPolicy.IF_NEEDED);
    return new HostPlan(plan.host(), plan.steps(), plan.problems(), plan.rebootPending(), planned);
  }

  /**
   * Each host's saved plan when its facts are as saved; else the host is refused, naming each fact
   * that moved and how. Commands withheld for their secret are made again from the same sources
   * and facts and must match their digest.
   */
  static PlanSource source(SavedPlan.Loaded saved, Planner planner, Sensitive secrets) {
    return (catalog, facts, reboot) -> {
      String name = catalog.host().name();
      SavedPlan.SavedHost host = saved.hosts().get(name);
      if (host == null) {
        return new PlanSource.Refuse("refused: the saved plan has no plan for " + name + "; make the plan again");
      }
      if (host.plan().isEmpty()) {
        return new PlanSource.Refuse("refused: " + name + " had no plan when it was saved (" + host.notPlanned()
            + "); make the plan again");
      }
      List<String> moved = moved(host, facts, secrets);
      if (!moved.isEmpty()) {
        return new PlanSource.Refuse("refused: " + moved.size() + " fact" + (moved.size() == 1 ? "" : "s")
            + " of " + name + " moved since the plan was saved; make the plan again\n" + String.join("\n", moved));
      }
      if (host.withheld().isEmpty()) {
        return new PlanSource.Run(withReboot(host.plan().get(), reboot));
      }
      return restoreWithheld(host, planner.plan(catalog, facts, reboot));
    };
  }

  /** One message per moved fact: the fact, and a diff of its text or both digests. */
  static List<String> moved(SavedPlan.SavedHost host, FactSet facts, Sensitive secrets) {
    List<String> out = new ArrayList<>();
    host.facts().forEach((fact, saved) -> {
      if (fact.equals(Planner.BOOT_ID)) {
        return; // changes at every boot; it witnesses a reboot and plans nothing
      }
      FactResult now = facts.asRead().get(fact);
      String nowDigest = now == null ? "not read" : FactResult.digest(now);
      if (nowDigest.equals(saved.digest())) {
        return;
      }
      String what = fact instanceof Fact.File f ? f.path()
          : fact instanceof Fact.Files g ? "the files matching " + g.glob()
          : "the output of `" + ((Fact.Command) fact).script() + "`";
      Optional<String> nowText = now == null ? Optional.empty() : SavedPlan.text(now).map(secrets::digestAll);
      if (saved.text().isPresent() && nowText.isPresent() && !saved.text().get().equals(nowText.get())) {
        String label = fact instanceof Fact.File f ? f.path() : fact instanceof Fact.Files g ? g.glob() : "command output";
        out.add(what + " moved:\n" + secrets.redact(TextDiff.unified(label, saved.text().get(), nowText.get())).stripTrailing());
      } else {
        out.add(what + " moved: " + saved.digest() + " when planned, " + nowDigest + " now");
      }
    });
    return out;
  }

  private static PlanSource.Decision restoreWithheld(SavedPlan.SavedHost host, HostPlan fresh) {
    Map<String, Step> freshSteps = new LinkedHashMap<>();
    fresh.steps().forEach(s -> freshSteps.put(s.id(), s));
    List<Step> steps = new ArrayList<>();
    for (Step s : host.plan().get().steps()) {
      Map<Integer, String> withheld = host.withheld().get(s.id());
      if (withheld == null) {
        steps.add(s);
        continue;
      }
      Step again = freshSteps.get(s.id());
      List<Command> commands = new ArrayList<>(s.change().commands());
      for (Map.Entry<Integer, String> w : withheld.entrySet()) {
        Command made = again == null || again.change().commands().size() <= w.getKey() ? null
            : again.change().commands().get(w.getKey());
        if (made == null || !SavedPlan.commandDigest(made.argv(), made.stdin()).equals(w.getValue())) {
          return new PlanSource.Refuse("refused: " + s.id() + " carries a secret, so its command was saved as a digest, and"
              + " the same sources and facts no longer make that command; make the plan again");
        }
        commands.set(w.getKey(), made);
      }
      Change c = s.change();
      steps.add(new Step(s.index(), s.id(), s.type(), s.handler(), s.declaredAt(), s.timeout(),
          new Change(c.action(), c.before(), c.after(), c.diff(), commands, c.takesEffect(), c.label(), c.notes(),
              c.blockers(), c.writes(), c.rebootPending()),
          s.dependsOn(), s.notifiedBy(), s.facts()));
    }
    HostPlan p = host.plan().get();
    return new PlanSource.Run(new HostPlan(p.host(), steps, p.problems(), p.rebootPending(), p.rebootPlanned()));
  }
}

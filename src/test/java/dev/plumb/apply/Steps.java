package dev.plumb.apply;

import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Plans written by hand, for the runner's unit tests. */
final class Steps {
  private Steps() {}

  /** A step named {@code id} running {@code commands} (shell snippets), after {@code deps}. */
  static Step step(String id, List<String> commands, String... deps) {
    List<Command> cmds = new ArrayList<>();
    commands.forEach(c -> cmds.add(Command.shell(c)));
    return new Step(0, id, "t", false, "play.yml:1:1", Duration.ZERO, Change.of(Action.RUN, "old", "new", cmds),
        Arrays.asList(deps), List.of(), Map.of());
  }

  static Step blocked(String id, String why, String... deps) {
    Step s = step(id, List.of("install " + id), deps);
    return withChange(s, s.change().withBlocker(why));
  }

  static Step handler(String id, String... notifiers) {
    Step s = step(id, List.of("restart " + id), notifiers);
    return new Step(s.index(), s.id(), s.type(), true, s.declaredAt(), s.timeout(), s.change(), s.dependsOn(),
        Arrays.asList(notifiers), s.facts());
  }

  static Step withChange(Step s, Change c) {
    return new Step(s.index(), s.id(), s.type(), s.handler(), s.declaredAt(), s.timeout(), c, s.dependsOn(),
        s.notifiedBy(), s.facts());
  }

  static HostPlan plan(Step... steps) {
    List<Step> indexed = new ArrayList<>();
    for (int i = 0; i < steps.length; i++) {
      Step s = steps[i];
      indexed.add(new Step(i + 1, s.id(), s.type(), s.handler(), s.declaredAt(), s.timeout(), s.change(), s.dependsOn(),
          s.notifiedBy(), s.facts()));
    }
    return new HostPlan("h1", indexed, List.of(), false, false);
  }
}

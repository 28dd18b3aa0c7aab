package dev.plumb.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.plumb.facts.FactResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeTest {

  private static final Change BASE =
      new Change(Action.UPDATE, "a", "b", "-a\n+b\n", List.of(Command.of("true")),
          TakesEffect.afterRestart("nova-compute"), Label.PREDICTED, List.of("note"),
          List.of("blocker"), Map.of("/etc/x", FactResult.content("x\n")), true);

  @Test
  void eachWither_changesOnlyItsOwnField() {
    assertEquals(withFields(BASE, "", null), BASE.withDiff(""));
    assertEquals(new Change(Action.UPDATE, "a", "b", "-a\n+b\n", BASE.commands(), TakesEffect.NOW,
        Label.PREDICTED, BASE.notes(), BASE.blockers(), BASE.writes(), true),
        BASE.withTakesEffect(TakesEffect.NOW));
    assertEquals(Label.OPAQUE, BASE.withLabel(Label.OPAQUE).label());
    assertEquals(withFields(BASE, BASE.diff(), Label.OPAQUE), BASE.withLabel(Label.OPAQUE));
    assertEquals(List.of("note", "more"), BASE.withNote("more").notes());
    assertEquals(List.of("blocker", "more"), BASE.withBlocker("more").blockers());
    assertEquals(List.of("/etc/x", "/etc/y"),
        List.copyOf(BASE.withWrite("/etc/y", FactResult.content("y")).writes().keySet()));
    assertEquals(false, BASE.withRebootPending(false).rebootPending());
    assertEquals(List.of(Command.of("false").line()),
        BASE.withCommands(List.of(Command.of("false"))).commands().stream().map(Command::line).toList());
    // the original is a value: no wither changed it
    assertEquals(List.of("note"), BASE.notes());
    assertEquals(1, BASE.writes().size());
  }

  @Test
  void plus_appendsListsAndWritesAndKeepsTheFirstAction() {
    Change other = Change.of(Action.CREATE, "absent", "present", List.of(Command.of("touch", "/y")))
        .withDiff("+y\n").withNote("n2").withBlocker("b2")
        .withWrite("/etc/y", FactResult.content("y"));
    Change sum = BASE.plus(other);
    assertEquals(Action.UPDATE, sum.action());
    assertEquals("-a\n+b\n+y\n", sum.diff());
    assertEquals(2, sum.commands().size());
    assertEquals(List.of("note", "n2"), sum.notes());
    assertEquals(List.of("blocker", "b2"), sum.blockers());
    assertEquals(List.of("/etc/x", "/etc/y"), List.copyOf(sum.writes().keySet()));
    assertEquals(true, sum.rebootPending());
    assertEquals(Action.CREATE, Change.none("ok").plus(other).action());
  }

  private static Change withFields(Change c, String diff, Label label) {
    return new Change(c.action(), c.before(), c.after(), diff, c.commands(), c.takesEffect(),
        label == null ? c.label() : label, c.notes(), c.blockers(), c.writes(), c.rebootPending());
  }
}

package dev.plumb.modules;

import static dev.plumb.modules.Fixtures.content;
import static dev.plumb.modules.Fixtures.facts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import org.junit.jupiter.api.Test;

class FileChangeTest {
  static final String P = "/etc/modprobe.d/x.conf";

  @Test
  void converge_alreadyRight_isEmpty() {
    assertThat(FileChange.converge(facts(Fact.file(P), content("a\n")), P, "a\n")).isEmpty();
    assertThat(FileChange.converge(facts(Fact.file(P), new FactResult.Missing()), P, null)).isEmpty();
  }

  @Test
  void converge_writesGuarded_andPredictsContent() {
    Change create = FileChange.converge(facts(Fact.file(P), new FactResult.Missing()), P, "a\n").orElseThrow();
    assertThat(create.action()).isEqualTo(Action.CREATE);
    assertThat(create.writes().get(P)).isEqualTo(FactResult.content("a\n"));
    Change update = FileChange.converge(facts(Fact.file(P), content("b\n")), P, "a\n").orElseThrow();
    assertThat(update.action()).isEqualTo(Action.UPDATE);
    assertThat(update.diff()).contains("-b", "+a");
    Change delete = FileChange.converge(facts(Fact.file(P), content("b\n")), P, null).orElseThrow();
    assertThat(delete.action()).isEqualTo(Action.DELETE);
    assertThat(delete.writes().get(P)).isEqualTo(new FactResult.Missing());
  }

  @Test
  void converge_unreadable_isBlocked() {
    Change c = FileChange.converge(facts(Fact.file(P), new FactResult.Unreadable()), P, "a\n").orElseThrow();
    assertThat(c.blockers()).singleElement().asString().startsWith(P + " exists but cannot be read");
    assertThat(c.commands()).isEmpty();
  }
}

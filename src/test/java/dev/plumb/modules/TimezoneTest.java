package dev.plumb.modules;

import static dev.plumb.modules.Fixtures.out;
import static dev.plumb.modules.Fixtures.params;
import static dev.plumb.modules.Fixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The guide's example type (docs/modules.md): its parser and its check. What it plans from given
 * facts is in its case files, src/test/resources/modules/timezone/*.yml (ModuleCasesTest).
 */
class TimezoneTest {
  final Timezone mod = new Timezone();

  @Test
  void parse_timedatectlsAnswer_isTheZone_andAFailureIsNone() {
    assertThat(Timezone.parse(out(0, "Europe/Paris\n"))).contains("Europe/Paris");
    assertThat(Timezone.parse(out(127, ""))).isEmpty();
    assertThat(Timezone.parse(out(1, "Unknown operation show.\n"))).isEmpty();
  }

  @Test
  void validate_aZoneName_passes_andAnythingElseIsAnErrorAtItsMark() {
    assertThat(problems(mod, params(mod, "zone", "America/Argentina/Buenos_Aires"))).isEmpty();
    assertThat(problems(mod, params(mod, "zone", "Etc/GMT+3"))).isEmpty();
    assertThat(problems(mod, params(mod, "zone", "-u UTC"))).containsExactly("'-u UTC' is not a time zone name");
    assertThat(problems(mod, params(mod, "zone", "../../etc/passwd"))).hasSize(1);
  }

  @Test
  void facts_areTheOneTypedFact() {
    assertThat(mod.facts(params(mod, "zone", "UTC"))).containsExactly(Timezone.CURRENT.fact());
  }
}

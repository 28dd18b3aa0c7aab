package dev.plumb.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import org.junit.jupiter.api.Test;

class PlanJsonTest {

  @Test
  void parseOfRender_anyPlan_isAnEqualPlan() {
    qt().withExamples(300).forAll(PlanGen.plans())
        .checkAssert(p -> assertThat(PlanJson.parse(PlanJson.render(p))).isEqualTo(p));
  }

  @Test
  void render_anyPlan_isStableAcrossARoundTrip() {
    qt().withExamples(100).forAll(PlanGen.plans())
        .checkAssert(p -> assertThat(PlanJson.render(PlanJson.parse(PlanJson.render(p)))).isEqualTo(PlanJson.render(p)));
  }

  @Test
  void parse_otherSchema_isRefusedWithWhatToDo() {
    assertThatThrownBy(() -> PlanJson.parse("{\"schema\": 2, \"host\": \"h\"}"))
        .hasMessageContaining("schema 2").hasMessageContaining("make the plan again");
  }

  @Test
  void parse_wrongField_namesIt() {
    String text = "{\"schema\":1,\"host\":\"h\",\"reboot_pending\":false,\"reboot_planned\":false,\"problems\":[],"
        + "\"steps\":[{\"index\":\"one\"}]}";
    assertThatThrownBy(() -> PlanJson.parse(text)).hasMessageContaining("steps[0]");
  }
}

package dev.plumb.modules;

import static dev.plumb.modules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class IniModuleTest {
  final IniModule mod = new IniModule();
  static final String P = "/etc/nova/nova.conf";
  static final String NOVA = """
      [DEFAULT]
      debug = false
      [pci]
      alias = { "vendor_id":"10de", "product_id":"1db4", "name":"a1" }
      """;

  Change diff(String text, Object... kv) {
    return mod.diff(params(mod, kv), facts(Fact.file(P), text == null ? missing() : content(text)));
  }

  @Test
  void jsonEquivalentValue_noChange() {
    Change c = diff(NOVA, "path", P, "section", "pci", "option", "alias",
        "value", "{\"name\": \"a1\", \"product_id\": \"1db4\", \"vendor_id\": \"10de\"}");
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.commands()).isEmpty();
  }

  @Test
  void jsonFalse_comparesText() {
    Change c = diff(NOVA, "path", P, "section", "pci", "option", "alias", "json", "false",
        "value", "{\"name\": \"a1\", \"product_id\": \"1db4\", \"vendor_id\": \"10de\"}");
    assertThat(c.action()).isEqualTo(Action.UPDATE);
  }

  @Test
  void changedValue_updatesOnlyThatLine() {
    Change c = diff(NOVA, "path", P, "section", "DEFAULT", "option", "debug", "value", "true");
    String after = NOVA.replace("debug = false", "debug = true");
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(c.label()).isEqualTo(Label.OBSERVED);
    assertThat(c.diff()).isEqualTo("--- " + P + "\n+++ " + P + "\n@@ -1,4 +1,4 @@\n [DEFAULT]\n-debug = false\n+debug = true\n"
        + " [pci]\n alias = { \"vendor_id\":\"10de\", \"product_id\":\"1db4\", \"name\":\"a1\" }\n");
    assertThat(c.commands()).containsExactly(Command.writeFile(P, after, sha(NOVA), null));
    assertThat(c.writes().get(P)).isEqualTo(FactResult.content(after));
  }

  @Test
  void multiValued_writesEachValue() {
    Change c = diff(NOVA, "path", P, "section", "pci", "option", "alias", "values", List.of("{\"name\":\"a1\"}", "{\"name\":\"a2\"}"));
    assertThat(c.writes().get(P)).isEqualTo(FactResult.content(
        "[DEFAULT]\ndebug = false\n[pci]\nalias = {\"name\":\"a1\"}\nalias = {\"name\":\"a2\"}\n"));
  }

  @Test
  void newSection_appended() {
    Change c = diff(NOVA, "path", P, "section", "vnc", "option", "enabled", "value", "false");
    assertThat(c.writes().get(P)).isEqualTo(FactResult.content(NOVA + "\n[vnc]\nenabled = false\n"));
  }

  @Test
  void missingFile_created() {
    Change c = diff(null, "path", P, "section", "pci", "option", "alias", "value", "x");
    assertThat(c.action()).isEqualTo(Action.CREATE);
    assertThat(c.commands()).containsExactly(Command.writeFile(P, "[pci]\nalias = x\n", null, null));
  }

  @Test
  void absent_removesOccurrences_noneWhenAbsent() {
    Change c = diff(NOVA, "path", P, "section", "pci", "option", "alias", "state", "absent");
    assertThat(c.writes().get(P)).isEqualTo(FactResult.content("[DEFAULT]\ndebug = false\n[pci]\n"));
    assertThat(diff(NOVA, "path", P, "section", "pci", "option", "nope", "state", "absent").commands()).isEmpty();
    assertThat(diff(null, "path", P, "section", "pci", "option", "nope", "state", "absent").action()).isEqualTo(Action.NONE);
  }

  @Test
  void unreadable_blocker() {
    Change c = mod.diff(params(mod, "path", P, "option", "a", "value", "1"), facts(Fact.file(P), new FactResult.Unreadable()));
    assertThat(c.blockers()).hasSize(1);
    assertThat(c.commands()).isEmpty();
  }

  @Test
  void sameValue_rules() {
    assertThat(IniModule.sameValue("[1, 2]", "[1,2.0]", "auto")).isTrue();
    assertThat(IniModule.sameValue("1", "1.0", "auto")).isFalse();
    assertThat(IniModule.sameValue("1", "1.0", "true")).isTrue();
    assertThat(IniModule.sameValue("{\"a\":1}", "{ \"a\": 1 }", "false")).isFalse();
  }

  @Test
  void validate_badCombinations() {
    assertThat(problems(mod, params(mod, "path", P, "option", "a", "value", "1", "values", List.of("2"))))
        .containsExactly("value and values are both given");
    assertThat(problems(mod, params(mod, "path", P, "option", "a"))).containsExactly("value or values is required with state present");
    assertThat(problems(mod, params(mod, "path", P, "option", "a", "value", " x"))).hasSize(1);
    assertThat(problems(mod, params(mod, "path", P, "option", "a=b", "value", "x"))).hasSize(1);
    assertThat(problems(mod, params(mod, "path", P, "option", "a", "value", "{", "json", "true")).get(0)).startsWith("value is not JSON");
    assertThat(problems(mod, params(mod, "path", P, "option", "a", "value", "x", "json", "maybe"))).hasSize(1);
    assertThat(problems(mod, params(mod, "path", P, "option", "a", "value", "x", "state", "absent"))).hasSize(1);
    assertThat(problems(mod, params(mod, "path", P, "section", "pci", "option", "alias", "value", "{}"))).isEmpty();
  }
}

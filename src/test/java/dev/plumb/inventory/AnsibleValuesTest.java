package dev.plumb.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values typed as Ansible types them; every expectation was printed by Python 3.11 / ansible-core 2.14. */
class AnsibleValuesTest {

  /** INI text -> json.dumps(ast.literal_eval(text) or the text). */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = 0, value = {
      "1|1", "-1|-1", "+1|1", "--1|\"--1\"", "0644|\"0644\"", "00|0", "1_000|1000", "1__0|\"1__0\"",
      "0x1F|31", "0o17|15", "0b101|5", "1e3|1000.0", "1.5|1.5", ".5|0.5", "1.|1.0", "True|true", "true|\"true\"",
      "None|null", "'x' # c|\"x\"", "foo # c|\"foo # c\"", "10.0.0.1|\"10.0.0.1\"", "/usr/bin/python3|\"/usr/bin/python3\"",
      "'it''s'|\"its\"", "r'\\d'|\"\\\\d\"", "'\\x41\\n'|\"A\\n\"", "1 2|\"1 2\"", "1+2j|\"1+2j\"", "u'x'|\"x\"",
      "9999999999999999999|9999999999999999999", "1e400|Infinity", "-0.0|-0.0", "0.1|0.1", "1e16|1e+16",
      "1e-5|1e-05", "123456789.123|123456789.123", "f'x'|\"f'x'\"", "a=b|\"a=b\"", "()|[]", "{}|{}"})
  void iniValue_asPythonLiteralEval(String text, String json) {
    assertThat(PyJson.dumps(PyLiteral.iniValue(text))).isEqualTo(json);
  }

  @Test
  void iniValue_collections() {
    assertThat(PyLiteral.iniValue("[1, 'a', None]")).isEqualTo(Arrays.asList(1L, "a", null));
    assertThat(PyLiteral.iniValue("(1,)")).isEqualTo(List.of(1L));
    assertThat(PyLiteral.iniValue("(1)")).isEqualTo(1L);
    assertThat(PyLiteral.iniValue("{'k': [1, 2]}")).isEqualTo(Map.of("k", List.of(1L, 2L)));
    assertThat(PyLiteral.iniValue("{1: 'x'}")).isEqualTo(Map.of("1", "x"));
    assertThat(PyLiteral.iniValue("{1, 2}")).isEqualTo("{1, 2}");
  }

  /** PyYAML's YAML 1.1 implicit types, as group_vars files are read. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = 0, value = {
      "0644|420", "yes|true", "Off|false", "1e3|\"1e3\"", "1.0e+3|1000.0", "1:30|90", "2001-12-14|\"2001-12-14\"",
      "~|null", ".inf|Infinity", "0o17|\"0o17\"", "0x1f|31", "1_000|1000", "-0b11|-3", "+12|12", "y|\"y\"", "NULL|null"})
  void yamlScalar_asPyYaml(String text, String json) {
    assertThat(PyJson.dumps(YamlTypes.resolve(text))).isEqualTo(json);
  }

  @Test
  void dumps_indentsAndSortsAsPythonJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", List.of(1L, "x\u0001\"é"));
    m.put("a", Map.of());
    m.put("c", new YamlTypes.Vaulted("$ANSIBLE_VAULT;1.1;AES256\n6162"));
    assertThat(PyJson.dumps(m)).isEqualTo("""
        {
            "a": {},
            "b": [
                1,
                "x\\u0001\\"é"
            ],
            "c": {
                "__ansible_vault": "$ANSIBLE_VAULT;1.1;AES256\\n6162"
            }
        }""");
  }

  @Test
  void shellWords_asShlexSplitWithComments() {
    assertThat(ShellWords.split("h3 k=v\\ w j=a#b l=x").stream().map(ShellWords.Word::text))
        .containsExactly("h3", "k=v w", "j=a");
    assertThat(ShellWords.split("  h a=\"1\" b='x y' c=\"a\\\"b\\n\"").stream().map(ShellWords.Word::text))
        .containsExactly("h", "a=1", "b=x y", "c=a\"b\\n");
    assertThat(ShellWords.split("  h a=1").get(1).column()).isEqualTo(5);
    assertThatThrownBy(() -> ShellWords.split("h a='x")).hasMessageContaining("no closing quotation");
  }

  @Test
  void hostEntry_portsAndRangesAsParseAddress() {
    assertThat(HostRange.entry("www[01:05:2]:2222").orElseThrow())
        .isEqualTo(new HostRange.Entry(List.of("www01", "www03", "www05"), 2222));
    assertThat(HostRange.entry("[fe80::1610:9fff:fedd:b654]:1022").orElseThrow())
        .isEqualTo(new HostRange.Entry(List.of("fe80::1610:9fff:fedd:b654"), 1022));
    assertThat(HostRange.entry("fe80::1610:9fff:fedd:654b").orElseThrow().port()).isNull();
    assertThat(HostRange.entry("weird!:22").orElseThrow()).isEqualTo(new HostRange.Entry(List.of("weird!:22"), null));
    assertThat(HostRange.entry("db-[y:B]").orElseThrow().names()).containsExactly("db-y", "db-z", "db-A", "db-B");
    assertThat(HostRange.entry("lab[3:1]").orElseThrow().names()).isEmpty();
    assertThat(HostRange.entry("lab[1:]")).isEmpty();
    assertThat(HostRange.entry("n[01:3]")).isEmpty();
  }
}

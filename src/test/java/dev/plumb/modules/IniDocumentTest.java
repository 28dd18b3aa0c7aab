package dev.plumb.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IniDocumentTest {

  static final String NOVA = """
      # nova.conf
      debug=false
      [DEFAULT]
      my_ip = 10.0.0.5
      ; a comment
      [pci]
      alias = {"name": "a1"}
      passthrough_whitelist = {"vendor_id": "10de"}
      alias={"name": "a2"}

      [default]
      my_ip = 1.1.1.1
      """;

  @Test
  void parse_render_isByteForByte() {
    for (String text : List.of(NOVA, "", "\n", "a=1", "x\r\n[s]\r\nk = v\r\n", "  [ s ]  \nk=\n=v\n[\n")) {
      assertThat(IniDocument.parse(text).render()).isEqualTo(text);
    }
  }

  @Test
  void values_sectionsAreCaseSensitive_repeatedKeysAreMultiValued() {
    IniDocument doc = IniDocument.parse(NOVA);
    assertThat(doc.values("", "debug")).containsExactly("false");
    assertThat(doc.values("DEFAULT", "my_ip")).containsExactly("10.0.0.5");
    assertThat(doc.values("default", "my_ip")).containsExactly("1.1.1.1");
    assertThat(doc.values("pci", "alias")).containsExactly("{\"name\": \"a1\"}", "{\"name\": \"a2\"}");
    assertThat(doc.values("pci", "nope")).isEmpty();
    assertThat(doc.values("nope", "alias")).isEmpty();
  }

  @Test
  void values_valueKeepsHashAndEquals_keyIsTrimmed() {
    IniDocument doc = IniDocument.parse("[s]\n  url =  http://x/?a=b # not a comment  \n");
    assertThat(doc.values("s", "url")).containsExactly("http://x/?a=b # not a comment");
  }

  @Test
  void set_existingSingle_rewritesOnlyThatLine() {
    String out = IniDocument.parse(NOVA).set("DEFAULT", "my_ip", List.of("10.0.0.6")).render();
    assertThat(out).isEqualTo(NOVA.replace("my_ip = 10.0.0.5", "my_ip = 10.0.0.6"));
  }

  @Test
  void set_multiValued_groupsAtFirstOccurrence_removesSurplus() {
    IniDocument doc = IniDocument.parse(NOVA).set("pci", "alias", List.of("A", "B", "C"));
    assertThat(doc.render()).isEqualTo(NOVA
        .replace("alias = {\"name\": \"a1\"}\n", "alias = A\nalias = B\nalias = C\n")
        .replace("alias={\"name\": \"a2\"}\n", ""));
    assertThat(doc.values("pci", "alias")).containsExactly("A", "B", "C");
  }

  @Test
  void set_sameValues_returnsSameDocument() {
    IniDocument doc = IniDocument.parse(NOVA);
    assertThat(doc.set("pci", "alias", List.of("{\"name\": \"a1\"}", "{\"name\": \"a2\"}"))).isSameAs(doc);
  }

  @Test
  void set_firstValueUnchanged_keepsItsLineAsWritten() {
    String out = IniDocument.parse("[s]\nk=1\nk=2\n").set("s", "k", List.of("1")).render();
    assertThat(out).isEqualTo("[s]\nk=1\n");
  }

  @Test
  void set_absentOption_goesAfterLastOptionOfSection() {
    String out = IniDocument.parse(NOVA).set("DEFAULT", "host", List.of("h1")).render();
    assertThat(out).isEqualTo(NOVA.replace("my_ip = 10.0.0.5\n", "my_ip = 10.0.0.5\nhost = h1\n"));
  }

  @Test
  void set_sectionWithoutOptions_goesAfterHeader() {
    assertThat(IniDocument.parse("[a]\n# c\n[b]\nx=1\n").set("a", "k", List.of("v")).render())
        .isEqualTo("[a]\nk = v\n# c\n[b]\nx=1\n");
  }

  @Test
  void set_absentSection_appendedAtEnd() {
    assertThat(IniDocument.parse("[a]\nx=1\n").set("b", "k", List.of("v")).render())
        .isEqualTo("[a]\nx=1\n\n[b]\nk = v\n");
    assertThat(IniDocument.parse("[a]\nx=1").set("b", "k", List.of("v")).render())
        .isEqualTo("[a]\nx=1\n\n[b]\nk = v\n");
    assertThat(IniDocument.parse("").set("b", "k", List.of("v")).render()).isEqualTo("[b]\nk = v\n");
  }

  @Test
  void set_noSectionName_goesBeforeFirstHeader() {
    assertThat(IniDocument.parse("# top\n[a]\nx=1\n").set("", "k", List.of("v")).render())
        .isEqualTo("# top\nk = v\n[a]\nx=1\n");
    assertThat(IniDocument.parse("").set("", "k", List.of("v")).render()).isEqualTo("k = v\n");
  }

  @Test
  void set_atEndWithoutFinalNewline_keepsThatStatus() {
    assertThat(IniDocument.parse("[a]\nx=1").set("a", "k", List.of("v", "w")).render())
        .isEqualTo("[a]\nx=1\nk = v\nk = w");
    assertThat(IniDocument.parse("[a]\nk=1").set("a", "k", List.of("2", "3")).render())
        .isEqualTo("[a]\nk = 2\nk = 3");
    assertThat(IniDocument.parse("[a]\r\nk=1\r\n").set("a", "k", List.of("2")).render())
        .isEqualTo("[a]\r\nk = 2\r\n");
  }

  @Test
  void set_emptyValue_writesBareEquals() {
    IniDocument doc = IniDocument.parse("[a]\n").set("a", "k", List.of(""));
    assertThat(doc.render()).isEqualTo("[a]\nk =\n");
    assertThat(IniDocument.parse(doc.render()).values("a", "k")).containsExactly("");
  }

  @Test
  void remove_deletesEveryOccurrenceOnly() {
    assertThat(IniDocument.parse(NOVA).remove("pci", "alias").render())
        .isEqualTo(NOVA.replace("alias = {\"name\": \"a1\"}\n", "").replace("alias={\"name\": \"a2\"}\n", ""));
    IniDocument doc = IniDocument.parse(NOVA);
    assertThat(doc.remove("pci", "nope")).isSameAs(doc);
    assertThat(doc.set("pci", "alias", List.of()).render()).isEqualTo(doc.remove("pci", "alias").render());
  }
}

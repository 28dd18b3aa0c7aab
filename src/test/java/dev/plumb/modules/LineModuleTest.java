package dev.plumb.modules;

import static dev.plumb.modules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import org.junit.jupiter.api.Test;

class LineModuleTest {
  final LineModule mod = new LineModule();
  static final String P = "/etc/default/grub";
  static final String GRUB = """
      GRUB_DEFAULT=0
      GRUB_CMDLINE_LINUX="quiet"
      # GRUB_CMDLINE_LINUX="old"
      GRUB_TIMEOUT=5
      """;

  Change diff(String text, Object... kv) {
    return mod.diff(params(mod, kv), facts(Fact.file(P), text == null ? missing() : content(text)));
  }

  @Test
  void key_replacesTheLine_keepsOthers() {
    String want = "GRUB_CMDLINE_LINUX=\"quiet intel_iommu=on\"";
    Change c = diff(GRUB, "path", P, "key", "GRUB_CMDLINE_LINUX", "line", want);
    String after = GRUB.replace("GRUB_CMDLINE_LINUX=\"quiet\"", want);
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(c.diff()).isEqualTo("--- " + P + "\n+++ " + P + "\n@@ -1,4 +1,4 @@\n GRUB_DEFAULT=0\n"
        + "-GRUB_CMDLINE_LINUX=\"quiet\"\n+" + want + "\n # GRUB_CMDLINE_LINUX=\"old\"\n GRUB_TIMEOUT=5\n");
    assertThat(c.commands()).containsExactly(Command.writeFile(P, after, sha(GRUB), null));
    assertThat(c.writes().get(P)).isEqualTo(FactResult.content(after));
    assertThat(c.label()).isEqualTo(Label.OBSERVED);
  }

  @Test
  void alreadyThere_none() {
    Change c = diff(GRUB, "path", P, "key", "GRUB_TIMEOUT", "line", "GRUB_TIMEOUT=5");
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.commands()).isEmpty();
    assertThat(diff(GRUB, "path", P, "line", "GRUB_DEFAULT=0").commands()).isEmpty();
  }

  @Test
  void regexp_replacesOnlyTheLastMatch() {
    Change c = diff("a=1\nb\na=2\n", "path", P, "regexp", "^a=", "line", "a=3");
    assertThat(c.writes().get(P)).isEqualTo(FactResult.content("a=1\nb\na=3\n"));
  }

  @Test
  void noMatch_appendsAtEnd_keepingMissingFinalNewline() {
    assertThat(diff("a\nb", "path", P, "line", "c").writes().get(P)).isEqualTo(FactResult.content("a\nb\nc"));
    assertThat(diff("a\nb\n", "path", P, "line", "c").writes().get(P)).isEqualTo(FactResult.content("a\nb\nc\n"));
    assertThat(diff("", "path", P, "line", "c").writes().get(P)).isEqualTo(FactResult.content("c\n"));
  }

  @Test
  void noMatch_insertAfterLastMatchOfInsertAfter() {
    Change c = diff("[a]\nx\n[b]\ny\n[b]\nz", "path", P, "line", "new", "insert_after", "^\\[b\\]");
    assertThat(c.writes().get(P)).isEqualTo(FactResult.content("[a]\nx\n[b]\ny\n[b]\nnew\nz"));
    Change notFound = diff("a\n", "path", P, "line", "new", "insert_after", "^zzz");
    assertThat(notFound.writes().get(P)).isEqualTo(FactResult.content("a\nnew\n"));
  }

  @Test
  void crlfFile_replacedLineKeepsItsTerminator() {
    Change c = diff("a=1\r\nb=2\r\n", "path", P, "key", "a", "line", "a=9");
    assertThat(c.writes().get(P)).isEqualTo(FactResult.content("a=9\r\nb=2\r\n"));
  }

  @Test
  void missingFile_createdWithTheLine() {
    Change c = diff(null, "path", P, "line", "vfio-pci");
    assertThat(c.action()).isEqualTo(Action.CREATE);
    assertThat(c.commands()).containsExactly(Command.writeFile(P, "vfio-pci\n", null, null));
  }

  @Test
  void absent_removesEveryMatch_missingFileIsNone() {
    Change c = diff("a=1\nb\na=2", "path", P, "regexp", "^a=", "state", "absent");
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(c.writes().get(P)).isEqualTo(FactResult.content("b\n"));
    assertThat(c.diff()).isEqualTo("--- " + P + "\n+++ " + P + "\n@@ -1,3 +1 @@\n-a=1\n b\n-a=2\n\\ No newline at end of file\n");
    assertThat(diff("b\n", "path", P, "line", "a", "state", "absent").commands()).isEmpty();
    assertThat(diff(null, "path", P, "line", "a", "state", "absent").action()).isEqualTo(Action.NONE);
  }

  @Test
  void unreadable_blocker() {
    Change c = mod.diff(params(mod, "path", P, "line", "x"), facts(Fact.file(P), new FactResult.Unreadable()));
    assertThat(c.blockers()).hasSize(1);
    assertThat(c.commands()).isEmpty();
  }

  @Test
  void validate_badCombinations() {
    assertThat(problems(mod, params(mod, "path", P, "regexp", "^a=", "line", "b=1")))
        .containsExactly("the line does not match regexp, so every run would change the file again");
    assertThat(problems(mod, params(mod, "path", P, "key", "A", "line", "B=1"))).containsExactly("the line does not start with A=");
    assertThat(problems(mod, params(mod, "path", P, "regexp", "(", "line", "x")).get(0)).startsWith("regexp is not a valid regular expression");
    assertThat(problems(mod, params(mod, "path", P))).containsExactly("line is required with state present");
    assertThat(problems(mod, params(mod, "path", P, "state", "absent"))).containsExactly("state absent needs line, regexp or key");
    assertThat(problems(mod, params(mod, "path", P, "line", "a\nb"))).containsExactly("line contains a line break");
    assertThat(problems(mod, params(mod, "path", P, "key", "A", "regexp", "A", "line", "A=1"))).containsExactly("regexp and key are both given");
    assertThat(problems(mod, params(mod, "path", P, "key", "A", "line", "A=1"))).isEmpty();
    assertThat(mod.keyParam()).isEqualTo("line");
  }
}

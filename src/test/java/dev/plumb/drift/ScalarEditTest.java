package dev.plumb.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScalarEditTest {
  private static String replace(String text, int line, int column, String value) {
    ScalarEdit.Found found = ScalarEdit.find(text, line, column).orElseThrow();
    return ScalarEdit.replace(text, found, value).orElseThrow();
  }

  @Test
  void plainScalar_staysPlain_restOfTheFileByteIdentical() {
    String text = "# keep me\na: 1   # the ratio\nb:   'x'\n";
    assertThat(replace(text, 2, 4, "2.5")).isEqualTo("# keep me\na: 2.5   # the ratio\nb:   'x'\n");
  }

  @Test
  void plainScalar_quotedWhenPlainWouldReadOtherwise() {
    String text = "a: x\nb: y\n";
    assertThat(replace(text, 1, 4, "v #not a comment")).isEqualTo("a: 'v #not a comment'\nb: y\n");
    assertThat(replace(text, 1, 4, "null")).as("plain null would be null").isEqualTo("a: 'null'\nb: y\n");
    assertThat(replace(text, 1, 4, "k: v")).isEqualTo("a: 'k: v'\nb: y\n");
    assertThat(replace(text, 1, 4, "it's")).isEqualTo("a: it's\nb: y\n");
    assertThat(replace(text, 1, 4, " lead")).isEqualTo("a: ' lead'\nb: y\n");
  }

  @Test
  void quotedScalars_keepTheirStyle() {
    assertThat(replace("a: 'x'\n", 1, 4, "it's")).isEqualTo("a: 'it''s'\n");
    assertThat(replace("a: \"x\"\n", 1, 4, "say \"hi\"\\")).isEqualTo("a: \"say \\\"hi\\\"\\\\\"\n");
  }

  @Test
  void flowSequenceItem_quotedWhenAFlowIndicatorWouldSplitIt() {
    String text = "present: [iommu=pt, intel_iommu=on]\n";
    assertThat(replace(text, 1, 21, "intel_iommu=off")).isEqualTo("present: [iommu=pt, intel_iommu=off]\n");
    assertThat(replace(text, 1, 11, "a,b")).isEqualTo("present: ['a,b', intel_iommu=on]\n");
  }

  @Test
  void literalBlock_keepsItsIndentAndChomping_andWhatFollows() {
    String text = "f:\n  content: |\n    one\n    two\n\n  mode: '0644'\n";
    assertThat(replace(text, 2, 12, "one\nthree\n")).isEqualTo("f:\n  content: |\n    one\n    three\n\n  mode: '0644'\n");
    assertThat(replace(text, 2, 12, "one\n\nthree")).isEqualTo("f:\n  content: |-\n    one\n\n    three\n\n  mode: '0644'\n");
  }

  @Test
  void multiLineValueInAPlainScalar_becomesDoubleQuoted() {
    assertThat(replace("content: x\n", 1, 10, "a\n\tb\n")).isEqualTo("content: \"a\\n\\tb\\n\"\n");
  }

  @Test
  void find_onlyAtAScalarsStart() {
    assertThat(ScalarEdit.find("a: xyz\n", 1, 5)).isEqualTo(Optional.empty());
    assertThat(ScalarEdit.find("a: [\n", 1, 4)).as("unparsable").isEqualTo(Optional.empty());
    assertThat(ScalarEdit.find("a: xyz\n", 1, 4).orElseThrow().value()).isEqualTo("xyz");
  }
}

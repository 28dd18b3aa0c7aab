package dev.plumb.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextLinesTest {
  @Test
  void split_keepsTerminators_andJoinsBack() {
    String text = "a\r\nb\n\nc\r";
    assertThat(TextLines.split(text)).containsExactly("a\r\n", "b\n", "\n", "c\r");
    assertThat(String.join("", TextLines.split(text))).isEqualTo(text);
    assertThat(TextLines.split("")).isEmpty();
    assertThat(TextLines.strip("a\r\n")).isEqualTo("a\r");
  }

  @Test
  void withEnds_crIsATerminatorOnlyBeforeNewline() {
    List<String[]> lines = TextLines.withEnds("a\r\nb\nc\r");
    assertThat(lines).extracting(l -> l[0]).containsExactly("a", "b", "c\r");
    assertThat(lines).extracting(l -> l[1]).containsExactly("\r\n", "\n", "");
  }
}

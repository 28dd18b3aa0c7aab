package dev.plumb.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestTest {
  @Test
  void suggest_distance() {
    assertThat(Suggest.distance("fiel", "file")).isEqualTo(1);
    assertThat(Suggest.closest("fiel", java.util.List.of("line", "file"))).contains("file");
    assertThat(Suggest.closest("zzzzzz", java.util.List.of("file"))).isEmpty();
  }

  @Test
  void closest_ignoresCase_andExactMatchIsNoSuggestion() {
    assertThat(Suggest.closest("FIEL", List.of("file"))).contains("file");
    assertThat(Suggest.closest("file", List.of("file"))).isEmpty();
    assertThat(Suggest.didYouMean("hsots", List.of("hosts", "vars"))).isEqualTo("did you mean 'hosts'? ");
    assertThat(Suggest.didYouMean("zzzz", List.of("hosts"))).isEmpty();
  }

  @Test
  void closestWithinLimit_levenshtein_caseSensitive_firstOfEqual() {
    assertThat(Suggest.levenshtein("fiel", "file")).isEqualTo(2);
    assertThat(Suggest.closest("fiel", List.of("file"), 1)).isEmpty();
    assertThat(Suggest.closest("fiel", List.of("file"), 2)).contains("file");
    assertThat(Suggest.closest("file", List.of("file"), 0)).contains("file");
    assertThat(Suggest.closest("File", List.of("file"), 0)).isEmpty();
    assertThat(Suggest.closest("ab", List.of("xb", "ay"), 1)).contains("xb");
    assertThat(Suggest.closest("x", List.of(), 3)).isEmpty();
  }
}

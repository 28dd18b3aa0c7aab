package dev.plumb.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.source.Problems;
import dev.plumb.source.Value;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class YamlTest {
  @Test
  void marksAreOneBased_andScalarsStayText() {
    Problems p = new Problems();
    Value.Map m = (Value.Map) Yaml.parse("a: 0644\nb:\n  - on\n  - ~\n", "f.yml", p).orElseThrow();
    assertThat(m.get("a").orElseThrow()).isEqualTo(new Value.Scalar("0644", new dev.plumb.source.Mark("f.yml", 1, 4)));
    assertThat(m.keyMark("b").toString()).isEqualTo("f.yml:2:1");
    Value.Seq b = (Value.Seq) m.get("b").orElseThrow();
    assertThat(b.items().get(0)).isInstanceOf(Value.Scalar.class);
    assertThat(b.items().get(1)).isInstanceOf(Value.Null.class);
    assertThat(b.items().get(0).mark().toString()).isEqualTo("f.yml:3:5");
    assertThat(p.all()).isEmpty();
  }

  @Test
  void quotedNullIsAString_emptyDocumentIsNull() {
    Problems p = new Problems();
    assertThat(Yaml.parse("'null'", "f", p).orElseThrow()).isInstanceOf(Value.Scalar.class);
    assertThat(Yaml.parse("", "f", p).orElseThrow()).isInstanceOf(Value.Null.class);
  }

  @Test
  void recursiveAlias_isAnError_notAStackOverflow() {
    Problems p = new Problems();
    Optional<Value> v = Yaml.parse("a: &x [1, *x]\n", "f.yml", p);
    assertThat(p.hasErrors()).isTrue();
    assertThat(p.all().get(0).render()).contains("f.yml:");
    assertThat(v.isEmpty() || p.hasErrors()).isTrue();
  }

  @Test
  void codePointLimit_isAnError() {
    Problems p = new Problems();
    String big = "x: " + "a".repeat(Yaml.MAX_CODE_POINTS + 10) + "\n";
    assertThat(Yaml.parse(big, "big.yml", p)).isEmpty();
    assertThat(p.all().get(0).render()).contains("big.yml:1:1: error: YAML rejected:", "split the file");
  }
}

package dev.plumb.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.source.Mark;
import dev.plumb.source.Problems;
import dev.plumb.source.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScopeTest {
  static Value.Scalar s(String text) {
    return new Value.Scalar(text, new Mark("p.yml", 3, 9));
  }

  static Scope scope() {
    Map<String, Value> vars = new LinkedHashMap<>();
    vars.put("site", s("lab"));
    vars.put("empty", new Value.Null(Mark.nowhere("x")));
    vars.put("gpus", Value.fromPlain(List.of("0", "1"), Mark.nowhere("x")));
    vars.put("net", Value.fromPlain(Map.of("prefix", "127.0.1"), Mark.nowhere("x")));
    vars.put("addr", s("{{ net.prefix }}.{{ gpus.1 }}"));
    return new Scope(vars);
  }

  static String text(String template) {
    Problems p = new Problems();
    Value v = scope().resolve(s(template), p).orElseThrow(() -> new AssertionError(p.all()));
    return ((Value.Scalar) v).text();
  }

  @Test
  void interpolation_nested_defaults() {
    assertThat(text("{{site}}-{{ site }}")).isEqualTo("lab-lab");
    assertThat(text("{{ addr }}")).isEqualTo("127.0.1.1");
    assertThat(text("x{{ empty }}y")).isEqualTo("xy");
    assertThat(text("{{ nope | default(present) }}")).isEqualTo("present");
    assertThat(text("{{ nope | default(site) }}")).isEqualTo("lab");
    assertThat(text("{{ nope | d(\"a b\") }}")).isEqualTo("a b");
    assertThat(text("{{ net.missing | default('m') }}")).isEqualTo("m");
    assertThat(text("{{ 'literal' }}")).isEqualTo("literal");
    assertThat(text("no template")).isEqualTo("no template");
  }

  @Test
  void wholeValue_keepsTypeAndTakesTheUseMark() {
    Problems p = new Problems();
    Value v = scope().resolve(s(" {{ gpus }} "), p).orElseThrow();
    assertThat(v).isInstanceOf(Value.Seq.class);
    assertThat(v.mark()).isEqualTo(new Mark("p.yml", 3, 9));
    assertThat(scope().resolve(s("{{ x | default({}) }}"), p).orElseThrow()).isInstanceOf(Value.Map.class);
    assertThat(scope().resolve(s("{{ x | default([a, b]) }}"), p).orElseThrow().toPlain()).isEqualTo(List.of("a", "b"));
  }

  @Test
  void errors() {
    Problems p = new Problems();
    assertThat(scope().resolve(s("{{ net.prefx }}"), p)).isEmpty();
    assertThat(scope().resolve(s("{{ site + 1 }}"), p)).isEmpty();
    assertThat(scope().resolve(s("{{ site"), p)).isEmpty();
    assertThat(p.all()).extracting(pr -> pr.render()).satisfiesExactlyInAnyOrder(
        r -> assertThat(r).contains("p.yml:3:9: error: undefined variable 'net.prefix'".replace("prefix", "prefx"),
            "'net' is a mapping without key 'prefx'", "did you mean 'prefix'?"),
        r -> assertThat(r).contains("cannot read the expression 'site + 1'"),
        r -> assertThat(r).contains("'{{' without a closing '}}'"));
  }
}

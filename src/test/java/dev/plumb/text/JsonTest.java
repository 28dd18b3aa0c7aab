package dev.plumb.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.plumb.Gens;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class JsonTest {

  @Test
  void parse_everyKind_plainJavaValues() {
    Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": \"x\\u00e9\\n\", \"c\": {}} ");
    assertThat(v).isInstanceOf(LinkedHashMap.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    assertThat(m.keySet()).containsExactly("a", "b", "c");
    assertThat(m.get("a"))
        .isEqualTo(java.util.Arrays.asList(new BigDecimal("1"), new BigDecimal("-2.5e3"), true, false, null));
    assertThat(m.get("b")).isEqualTo("xé\n");
    assertThat(m.get("c")).isEqualTo(Map.of());
  }

  @Test
  void parse_surrogatePairEscape_oneCodePoint() {
    assertThat(Json.parse("\"\\ud83d\\ude00\"")).isEqualTo("\uD83D\uDE00");
  }

  @Test
  void parse_badInput_saysWhereAndWhat() {
    assertThatThrownBy(() -> Json.parse("{\"a\": 1,}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad JSON at line 1, column 9: ").hasMessageContaining("'}'").hasMessageContaining("field name");
    assertThatThrownBy(() -> Json.parse("[1,\n 02]")).hasMessage("bad JSON at line 2, column 3: Invalid numeric value: Leading zeroes not allowed");
    assertThatThrownBy(() -> Json.parse("\"abc")).hasMessageContaining("column 5").hasMessageContaining("closing quote");
    assertThatThrownBy(() -> Json.parse("")).hasMessage("bad JSON at line 1, column 1: expected a JSON value, found end of input");
    assertThatThrownBy(() -> Json.parse("1 2")).hasMessage("bad JSON at line 1, column 3: expected end of input after the JSON value, found '2'");
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("Duplicate field 'a'");
    assertThatThrownBy(() -> Json.parse("\"a\tb\"")).hasMessageContaining("CTRL-CHAR, code 9").hasMessageContaining("escaped");
    assertThatThrownBy(() -> Json.parse("NaN")).hasMessage("bad JSON at line 1, column 4: Non-standard token 'NaN'");
    assertThatThrownBy(() -> Json.parse("tru")).hasMessageContaining("column 1").hasMessageContaining("'tru'");
    assertThatThrownBy(() -> Json.parse("1.")).hasMessageContaining("not followed by a digit");
    assertThatThrownBy(() -> Json.parse("-")).hasMessage("bad JSON at line 1, column 2: Unexpected end-of-input: no digit following sign");
    assertThatThrownBy(() -> Json.parse("\"\\x\"")).hasMessageContaining("escape 'x'");
    assertThatThrownBy(() -> Json.parse("// c\n1")).hasMessage("bad JSON at line 1, column 1: Unexpected character ('/' (code 47)): maybe a (non-standard) comment?");
    assertThatThrownBy(() -> Json.parse("[1,]")).hasMessageContaining("column 4");
    assertThatThrownBy(() -> Json.parse("{\"a\":1}}")).hasMessageContaining("column 8");
    assertThatThrownBy(() -> Json.parse("[".repeat(600) + "]".repeat(600)))
        .hasMessage("bad JSON at line 1, column 514: Document nesting depth (513) exceeds the maximum allowed (512)");
    // RFC 8259 leaves such names unpredictable; the reader refuses them rather than guess.
    assertThatThrownBy(() -> Json.parse("{\"\\udd87\":1}")).hasMessageContaining("surrogate");
  }

  @Test
  void write_escapesPerRfc8259() {
    assertThat(Json.write("q\"b\\n\n\t\u0001\u2028é/")).isEqualTo("\"q\\\"b\\\\n\\n\\t\\u0001\u2028é/\"");
    assertThat(Json.write("\uD800")).isEqualTo("\"\\ud800\"");
    assertThat(Json.write("\u001f\u007f\b\f\r")).isEqualTo("\"\\u001F\u007f\\b\\f\\r\"");
    // Escaped only where a string holds a lone surrogate (UTF-8 cannot carry it); a pair stays as is.
    assertThat(Json.write("\uD83D\uDE00")).isEqualTo("\"\uD83D\uDE00\"");
    assertThat(Json.write("\uDE00\uD83D\uDE00")).isEqualTo("\"\\ude00\\ud83d\\ude00\"");
  }

  @Test
  void write_compactAndPretty() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "a1");
    m.put("ids", List.of(1, 2L, new BigDecimal("2.50")));
    m.put("empty", List.of());
    m.put("none", null);
    assertThat(Json.write(m)).isEqualTo("{\"name\":\"a1\",\"ids\":[1,2,2.50],\"empty\":[],\"none\":null}");
    assertThat(Json.pretty(m))
        .isEqualTo("{\n  \"name\": \"a1\",\n  \"ids\": [\n    1,\n    2,\n    2.50\n  ],\n  \"empty\": [],\n  \"none\": null\n}");
    assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equivalent_ignoresKeyOrderSpacingAndNumberForm() {
    assertThat(Json.equivalent("{\"a\": 1, \"b\": [1.0, 2]}", "{ \"b\":[1,2e0],\"a\":1 }")).isTrue();
    assertThat(Json.equivalent("{\"a\": 1}", "{\"a\": 2}")).isFalse();
    assertThat(Json.equivalent("[1,2]", "[2,1]")).isFalse();
    assertThat(Json.equivalent("{\"a\": 1}", "{\"a\": 1, \"b\": null}")).isFalse();
    assertThat(Json.equivalent("\"1\"", "1")).isFalse();
    assertThat(Json.equivalent("{", "{")).isFalse();
    assertThat(Json.equivalent("null", "null")).isTrue();
    assertThat(Json.equivalent("1", "1.0")).isTrue();
    assertThat(Json.equivalent("100", "1e2")).isTrue();
    assertThat(Json.equivalent("-0", "0")).isTrue();
    assertThat(Json.equivalent("{\"a\":{\"x\":1,\"y\":[true,null]}}", "{\"a\": {\"y\": [true, null], \"x\": 1.00}}")).isTrue();
    assertThat(Json.equivalent("1", "true")).isFalse();
    assertThat(Json.equivalent("\"a\"", "\"a \"")).isFalse();
  }

  @Test
  void writeThenParse_givesTheSameValue() {
    qt().withExamples(300).forAll(json(3)).checkAssert(value -> {
      assertThat(Json.parse(Json.write(value))).isEqualTo(value);
      assertThat(Json.parse(Json.pretty(value))).isEqualTo(value);
      assertThat(Json.equivalent(Json.write(value), Json.pretty(value))).isTrue();
    });
  }

  @Test
  void equivalent_anyValue_ignoresKeyOrderSpacingAndNumberForm() {
    qt().withExamples(300).forAll(json(3)).checkAssert(value -> {
      Object reformed = reform(value);
      assertThat(Json.equivalent(Json.write(value), Json.pretty(reformed))).isTrue();
      assertThat(Json.equivalent(Json.pretty(value), Json.write(reformed))).isTrue();
      assertThat(Json.equivalent(Json.write(value), Json.write(java.util.Collections.singletonList(value)))).isFalse();
    });
  }

  /** The same value written otherwise: keys reversed, every number with one more trailing zero. */
  static Object reform(Object value) {
    if (value instanceof BigDecimal b) {
      return b.setScale(b.scale() + 1);
    }
    if (value instanceof Map<?, ?> m) {
      List<Map.Entry<?, ?>> entries = new java.util.ArrayList<>(m.entrySet());
      java.util.Collections.reverse(entries);
      Map<String, Object> out = new LinkedHashMap<>();
      entries.forEach(e -> out.put((String) e.getKey(), reform(e.getValue())));
      return out;
    }
    if (value instanceof List<?> l) {
      return l.stream().map(JsonTest::reform).collect(java.util.stream.Collectors.toList());
    }
    return value;
  }

  /** Scalars of every kind (strings with every char, lone surrogates included), nested up to depth. */
  static Gen<Object> json(int depth) {
    Gen<Object> decimal = longs().all().zip(integers().between(-3, 6), (unscaled, scale) -> (Object) BigDecimal.valueOf(unscaled, scale));
    Gen<Object> scalar = Generate.frequency(List.of(
        Pair.of(3, Gens.anyChars(12).map(x -> (Object) x)),
        Pair.of(2, decimal),
        Pair.of(2, longs().all().map(l -> (Object) new BigDecimal(l))),
        Pair.of(1, Generate.booleans().map(b -> (Object) b)),
        Pair.of(1, Generate.constant(() -> null))));
    if (depth == 0) {
      return scalar.describedAs(Gens::show);
    }
    Gen<Object> list = lists().of(json(depth - 1)).ofSizeBetween(0, 4).map(l -> (Object) new java.util.ArrayList<>(l));
    // Keys over valid Unicode: a lone surrogate escape in a key is refused (parse_badInput).
    Gen<Object> map = lists().of(Gens.text(6).zip(json(depth - 1), Pair::of)).ofSizeBetween(0, 4).map(pairs -> {
      Map<String, Object> m = new LinkedHashMap<>();
      pairs.forEach(p -> m.put(p._1, p._2));
      return (Object) m;
    });
    return Generate.frequency(List.of(Pair.of(3, scalar), Pair.of(1, list), Pair.of(1, map))).describedAs(Gens::show);
  }
}

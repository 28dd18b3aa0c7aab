package dev.plumb.modules;

import static dev.plumb.modules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The contract's properties for the file-editing modules: diffing the predicted result gives no
 * change (idempotence), and lines outside the managed line or option are kept.
 */
class ModulePropertiesTest {
  static final String P = "/etc/x.conf";

  /** Arbitrary file: missing, or text built from interesting lines, with or without final newline. */
  @Provide
  Arbitrary<String> files() {
    Arbitrary<String> line = Arbitraries.oneOf(
        Arbitraries.of("a=1", "a=2", "a = 3", "b", "#a=1", "", "[s]", "[t]", "[ s ]", "k = 1", "k=2", "x = y",
            "; k = 3", "  k  =  4 ", "[s", "junk", "k = {\"a\": 1}", "k=[1, 2]", "a=1\r"),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12));
    Arbitrary<String> body = line.list().ofMaxSize(12).map(l -> String.join("\n", l));
    return Combinators.combine(body, Arbitraries.of(true, false), Arbitraries.of(true, false, false, false, false))
        .as((b, nl, missing) -> missing ? null : b + (nl && !b.isEmpty() ? "\n" : ""));
  }

  static FactResult fact(String text) {
    return text == null ? missing() : content(text);
  }

  /** Diffs, then diffs again against the predicted content: that must be converged. */
  static String checkIdempotent(Module mod, Params params, String before) {
    assertThat(Fixtures.problems(mod, params)).as("params are valid").isEmpty();
    Change first = mod.diff(params, facts(Fact.file(P), fact(before)));
    assertThat(first.blockers()).isEmpty();
    if (!first.changes()) {
      assertThat(first.commands()).isEmpty();
      assertThat(first.writes()).isEmpty();
      return before;
    }
    FactResult predicted = first.writes().get(P);
    assertThat(predicted).isNotNull();
    assertThat(first.commands()).hasSize(1);
    assertThat(first.diff()).isNotEmpty();
    FactSet next = facts(Fact.file(P), fact(before)).withFile(P, predicted);
    Change second = mod.diff(params, next);
    assertThat(second.action()).isEqualTo(Action.NONE);
    assertThat(second.commands()).isEmpty();
    assertThat(TextDiffTest.apply(before == null ? "" : before, first.diff()))
        .isEqualTo(predicted instanceof FactResult.Content c ? c.text() : "");
    return predicted instanceof FactResult.Content c ? c.text() : null;
  }

  // ---- file

  @Property(tries = 200)
  void file_idempotent(@ForAll("files") String before,
      @ForAll("texts") String content, @ForAll boolean absent) {
    FileModule mod = new FileModule();
    Params p = absent ? params(mod, "path", P, "state", "absent") : params(mod, "path", P, "content", content);
    String after = checkIdempotent(mod, p, before);
    assertThat(after).isEqualTo(absent ? null : content);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().withCharRange(' ', '~').withChars('\n', '\t', 'é').ofMaxLength(60);
  }

  // ---- line

  @Provide
  Arbitrary<Object[]> lineParams() {
    Arbitrary<String> value = Arbitraries.of("1", "2", "9", "", "x y");
    Arbitrary<Object[]> byKey = value.map(v -> new Object[] {"key", "a", "line", "a=" + v});
    Arbitrary<Object[]> byRegexp = value.map(v -> new Object[] {"regexp", "^a ?=", "line", "a=" + v});
    Arbitrary<Object[]> exact = Arbitraries.of("b", "a=1", "new line", "k = 1").map(l -> new Object[] {"line", l});
    Arbitrary<Object[]> absentByRegexp = Arbitraries.of("^a", "k", "^$").map(r -> new Object[] {"regexp", r, "state", "absent"});
    Arbitrary<Object[]> absentExact = Arbitraries.of("b", "a=1", "").map(l -> new Object[] {"line", l, "state", "absent"});
    Arbitrary<Object[]> base = Arbitraries.oneOf(byKey, byRegexp, exact, absentByRegexp, absentExact);
    return Combinators.combine(base, Arbitraries.of("", "^b$", "^\\[s\\]")).as((b, after) -> {
      List<Object> kv = new ArrayList<>(List.of(b));
      kv.addAll(List.of("path", P));
      if (!after.isEmpty() && !kv.contains("absent")) {
        kv.addAll(List.of("insert_after", after));
      }
      return kv.toArray();
    });
  }

  @Property(tries = 300)
  void line_idempotent_andOtherLinesKept(@ForAll("files") String before, @ForAll("lineParams") Object[] kv) {
    LineModule mod = new LineModule();
    Params p = params(mod, kv);
    String after = checkIdempotent(mod, p, before);
    Predicate<String> managed = managedLine(p);
    assertThat(others(after, managed)).isEqualTo(others(before, managed));
    boolean present = p.string("state").equals("present");
    if (present) {
      assertThat(TextLines.withEnds(after).stream().map(l -> l[0])).contains(p.string("line"));
      if (before != null && !before.isEmpty()) {
        assertThat(after.endsWith("\n")).as("final newline kept").isEqualTo(before.endsWith("\n"));
      }
    } else if (after != null) {
      assertThat(TextLines.withEnds(after)).noneMatch(l -> managed.test(l[0]));
    }
  }

  /** The sample jqwik once found: a file ending in a lone CR, with the managed line appended. */
  @Example
  void line_fileEndingInALoneCarriageReturn_convergesAndKeepsItsBytes() {
    line_idempotent_andOtherLinesKept("a=1\r", new Object[] {"line", "a=1", "path", P});
  }

  private static Predicate<String> managedLine(Params p) {
    Predicate<String> byLine = p.has("line") ? p.string("line")::equals : s -> false;
    if (p.has("regexp")) {
      Pattern re = Pattern.compile(p.string("regexp"));
      return byLine.or(s -> re.matcher(s).find());
    }
    if (p.has("key")) {
      return byLine.or(s -> s.startsWith(p.string("key") + "="));
    }
    return byLine;
  }

  /** The lines (without terminators) that the resource does not manage, in order. */
  private static List<String> others(String text, Predicate<String> managed) {
    // A final "a\r" without newline becomes "a" + CRLF when a line is appended after it: same bytes.
    // Normalise before matching, so both sides classify that line the same way.
    return text == null ? List.of() : TextLines.withEnds(text).stream().map(l -> l[0])
        .map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l).filter(managed.negate()).toList();
  }

  // ---- ini

  @Provide
  Arbitrary<Object[]> iniParams() {
    Arbitrary<String> value = Arbitraries.of("1", "v w", "{\"a\": 1}", "[1,2]", "", "4");
    return Combinators.combine(
            Arbitraries.of("", "s", "t", "u"),
            Arbitraries.of("k", "x", "a", "new"),
            value.list().ofMinSize(1).ofMaxSize(3),
            Arbitraries.of(true, false, false),
            Arbitraries.of("auto", "auto", "false"))
        .as((section, option, values, absent, json) -> absent
            ? new Object[] {"path", P, "section", section, "option", option, "state", "absent"}
            : values.size() == 1
                ? new Object[] {"path", P, "section", section, "option", option, "value", values.get(0), "json", json}
                : new Object[] {"path", P, "section", section, "option", option, "values", values, "json", json});
  }

  @Property(tries = 300)
  void ini_idempotent_andOtherLinesKept(@ForAll("files") String before, @ForAll("iniParams") Object[] kv) {
    IniModule mod = new IniModule();
    Params p = params(mod, kv);
    String section = p.string("section");
    String option = p.string("option");
    String after = checkIdempotent(mod, p, before);
    List<String> othersBefore = iniOthers(before, section, option);
    List<String> othersAfter = iniOthers(after, section, option);
    boolean sectionAdded = !section.isEmpty() && !othersBefore.contains("[" + section + "]")
        && othersAfter.contains("[" + section + "]");
    if (sectionAdded) {
      List<String> expected = new ArrayList<>(othersBefore);
      if (before != null && !before.isEmpty()) {
        expected.add("");
      }
      expected.add("[" + section + "]");
      assertThat(othersAfter).isEqualTo(expected);
    } else {
      assertThat(othersAfter).isEqualTo(othersBefore);
    }
    if (after != null) {
      IniDocument doc = IniDocument.parse(after);
      if (p.string("state").equals("absent")) {
        assertThat(doc.values(section, option)).isEmpty();
      } else {
        List<String> want = p.has("value") ? List.of(p.string("value")) : p.strings("values");
        List<String> have = doc.values(section, option);
        assertThat(have).hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) {
          assertThat(IniModule.sameValue(have.get(i), want.get(i), p.string("json"))).isTrue();
        }
      }
    }
  }

  /**
   * The lines that are not occurrences of the option, classified independently of IniDocument
   * (headers: [name]; options: key = value outside comments), in order and without terminators.
   */
  private static List<String> iniOthers(String text, String section, String option) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    String current = "";
    for (String[] l : TextLines.withEnds(text)) {
      String body = l[0].endsWith("\r") ? l[0].substring(0, l[0].length() - 1) : l[0];
      String t = body.strip();
      if (t.length() >= 2 && t.startsWith("[") && t.endsWith("]")) {
        current = t.substring(1, t.length() - 1).strip();
      } else if (!t.startsWith("#") && !t.startsWith(";") && body.indexOf('=') > 0
          && current.equals(section) && body.substring(0, body.indexOf('=')).strip().equals(option)) {
        continue;
      }
      out.add(body);
    }
    return out;
  }
}

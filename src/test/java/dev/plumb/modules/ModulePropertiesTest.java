package dev.plumb.modules;

import static dev.plumb.modules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.plumb.Gens;
import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.text.TextDiffTest;
import dev.plumb.text.TextLines;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The contract's properties for the file-editing modules: diffing the predicted result gives no
 * change (idempotence), and lines outside the managed line or option are kept.
 */
class ModulePropertiesTest {
  static final String P = "/etc/x.conf";

  /**
   * A file: missing, a generated INI file, or lines drawn from the ones these modules match
   * (with CR, spacing and malformed headers) mixed with text over the broad alphabet.
   */
  static Gen<String> files() {
    Gen<String> line = Generate.pick(List.of("a=1", "a=2", "a = 3", "b", "#a=1", "", "[s]", "[t]", "[ s ]", "k = 1", "k=2",
            "x = y", "; k = 3", "  k  =  4 ", "[s", "junk", "k = {\"a\": 1}", "k=[1, 2]", "a=1\r"))
        .mix(Gens.lineText(12), 40);
    Gen<String> file = Generate.oneOf(Gens.file(line, 12), Gens.iniFile(List.of("s", "t", "u"), List.of("k", "x", "a", "new")));
    return Gens.fileOrMissing(file);
  }

  static FactResult fact(String text) {
    return text == null ? missing() : content(text);
  }

  /** Diffs, then diffs again against the predicted content: that must be converged. */
  /** The file as read from a host, where P is not a symbolic link (file asks). */
  private static FactSet read(String before) {
    return facts(Fact.file(P), fact(before), Fact.command(FileModule.linkScript(P)), FactResult.output(0, ""));
  }

  static String checkIdempotent(Module mod, Params params, String before) {
    assertThat(Fixtures.problems(mod, params)).as("params are valid").isEmpty();
    Change first = mod.diff(params, read(before));
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
    FactSet next = read(before).withFile(P, predicted);
    Change second = mod.diff(params, next);
    assertThat(second.action()).isEqualTo(Action.NONE);
    assertThat(second.commands()).isEmpty();
    assertThat(TextDiffTest.apply(before == null ? "" : before, first.diff()))
        .isEqualTo(predicted instanceof FactResult.Content c ? c.text() : "");
    return predicted instanceof FactResult.Content c ? c.text() : null;
  }

  // ---- file

  @Test
  void file_idempotent() {
    qt().withExamples(200).forAll(files(), Gens.textNoNul(60), Generate.booleans()).checkAssert((before, content, absent) -> {
      FileModule mod = new FileModule();
      Params p = absent ? params(mod, "path", P, "state", "absent") : params(mod, "path", P, "content", content);
      String after = checkIdempotent(mod, p, before);
      assertThat(after).isEqualTo(absent ? null : content);
    });
  }

  // ---- line

  static Gen<Object[]> lineParams() {
    Gen<String> value = Generate.pick(List.of("1", "2", "9", "", "x y")).mix(Gens.paramValue(6), 30);
    Gen<Object[]> byKey = value.map(v -> new Object[] {"key", "a", "line", "a=" + v});
    Gen<Object[]> byRegexp = value.map(v -> new Object[] {"regexp", "^a ?=", "line", "a=" + v});
    Gen<Object[]> exact = Generate.pick(List.of("b", "a=1", "new line", "k = 1")).mix(Gens.paramValue(10), 30)
        .map(l -> new Object[] {"line", l});
    Gen<Object[]> absentByRegexp = Generate.pick(List.of("^a", "k", "^$")).map(r -> new Object[] {"regexp", r, "state", "absent"});
    Gen<Object[]> absentExact = Generate.pick(List.of("b", "a=1", "")).mix(Gens.paramValue(10), 30)
        .map(l -> new Object[] {"line", l, "state", "absent"});
    Gen<Object[]> base = Generate.oneOf(byKey, byRegexp, exact, absentByRegexp, absentExact);
    return base.zip(Generate.pick(List.of("", "^b$", "^\\[s\\]")), (b, after) -> {
      List<Object> kv = new ArrayList<>(List.of(b));
      kv.addAll(List.of("path", P));
      if (!after.isEmpty() && !kv.contains("absent")) {
        kv.addAll(List.of("insert_after", after));
      }
      return kv.toArray();
    }).describedAs(Gens::show);
  }

  @Test
  void line_idempotent_andOtherLinesKept() {
    qt().withExamples(300).forAll(files(), lineParams()).checkAssert(ModulePropertiesTest::lineIdempotentAndOtherLinesKept);
  }

  private static void lineIdempotentAndOtherLinesKept(String before, Object[] kv) {
    LineModule mod = new LineModule();
    Params p = params(mod, kv);
    String after = checkIdempotent(mod, p, before);
    Predicate<String> managed = managedLine(p);
    assertThat(others(after, managed)).isEqualTo(others(before, managed));
    boolean present = p.string("state").equals("present");
    if (present) {
      assertThat(TextLines.withEnds(after).stream().map(l -> l[0])).contains(p.string("line"));
      boolean emptyLineAppended = p.string("line").isEmpty() && !after.equals(before) && after.endsWith("\n\n");
      if (before != null && !before.isEmpty() && !emptyLineAppended) {
        assertThat(after.endsWith("\n")).as("final newline kept").isEqualTo(before.endsWith("\n"));
      }
    } else if (after != null) {
      assertThat(TextLines.withEnds(after)).noneMatch(l -> managed.test(l[0]));
    }
  }

  /** A sample a property once found: a file ending in a lone CR, with the managed line appended. */
  @Test
  void line_fileEndingInALoneCarriageReturn_convergesAndKeepsItsBytes() {
    lineIdempotentAndOtherLinesKept("a=1\r", new Object[] {"line", "a=1", "path", P});
  }

  /** A sample a property found: a file ending in two lone CRs, with a line appended after it. */
  @Test
  void line_fileEndingInTwoLoneCarriageReturns_keepsTheOtherLines() {
    lineIdempotentAndOtherLinesKept("aa=   \n[aaaa]\naaaaa=\n[aaaaaa]\naaa=\t \r\r",
        new Object[] {"regexp", "^a ?=", "line", "a=", "path", P});
  }

  /** A sample a property found: an empty line cannot be appended without its newline. */
  @Test
  void line_emptyLineAtTheEndOfAFileWithoutFinalNewline_converges() {
    lineIdempotentAndOtherLinesKept("[a]", new Object[] {"line", "", "path", P});
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
    // A final "a\r" (or "a\r\r") without newline becomes "a" (or "a\r") + CRLF when a line is appended
    // after it: the same bytes. Drop trailing carriage returns before matching, so both sides classify
    // and compare that line the same way.
    return text == null ? List.of() : TextLines.withEnds(text).stream().map(l -> l[0])
        .map(l -> l.replaceAll("\r+$", "")).filter(managed.negate()).toList();
  }

  // ---- ini

  static Gen<Object[]> iniParams() {
    Gen<String> value = Generate.pick(List.of("1", "v w", "{\"a\": 1}", "[1,2]", "", "4", "1.0", "{ \"a\" : 1.0 }"))
        .mix(Gens.paramValue(8), 30);
    Gen<Object[]> present = Generate.pick(List.of("", "s", "t", "u")).zip(
        Generate.pick(List.of("k", "x", "a", "new")),
        lists().of(value).ofSizeBetween(1, 3),
        Generate.pick(List.of("auto", "auto", "false")),
        (section, option, values, json) -> values.size() == 1
            ? new Object[] {"path", P, "section", section, "option", option, "value", values.get(0), "json", json}
            : new Object[] {"path", P, "section", section, "option", option, "values", values, "json", json});
    Gen<Object[]> absent = Generate.pick(List.of("", "s", "t", "u")).zip(Generate.pick(List.of("k", "x", "a", "new")),
        (section, option) -> new Object[] {"path", P, "section", section, "option", option, "state", "absent"});
    return present.mix(absent, 33).describedAs(Gens::show);
  }

  @Test
  void ini_idempotent_andOtherLinesKept() {
    qt().withExamples(300).forAll(files(), iniParams()).checkAssert(ModulePropertiesTest::iniIdempotentAndOtherLinesKept);
  }

  private static void iniIdempotentAndOtherLinesKept(String before, Object[] kv) {
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

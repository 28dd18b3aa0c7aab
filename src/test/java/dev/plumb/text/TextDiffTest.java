package dev.plumb.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.plumb.Gens;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

public class TextDiffTest {

  @Test
  void onlyFinalNewlineDiffers_isShown() {
    String d = TextDiff.unified("/f", "a\nb", "a\nb\n");
    assertThat(d).isEqualTo("--- /f\n+++ /f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
    assertThat(apply("a\nb", d)).isEqualTo("a\nb\n");
  }

  /**
   * Debian's packaged nova.conf (nova-common 26.2.2, 10,164 lines, most of them repeated blank and
   * comment lines): three one-line edits far apart print three small hunks. The LCS table this
   * replaced gave up on a file this size and printed 8,396 lines.
   */
  @Test
  void unified_threeEditsInARealTenThousandLineNovaConf_printsThreeSmallHunks() throws IOException {
    String before;
    try (InputStream in = new GZIPInputStream(TextDiffTest.class.getResourceAsStream("/diff/nova-common-26.2.2.conf.gz"))) {
      before = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(TextDiff.lines(before)).hasSize(10_164);
    String after = before
        .replace("#cpu_allocation_ratio = <None>\n", "cpu_allocation_ratio = 4.0\n")
        .replace("#enabled_filters = ComputeFilter,", "enabled_filters = PciPassthroughFilter,ComputeFilter,")
        .replace("[pci]\n", "[pci]\nalias = {\"vendor_id\":\"10de\",\"product_id\":\"1db4\",\"name\":\"v100\"}\n");

    String diff = TextDiff.unified("/etc/nova/nova.conf", before, after);

    List<String> lines = TextDiff.lines(diff);
    assertThat(lines.stream().filter(l -> l.startsWith("@@"))).hasSize(3);
    assertThat(lines.stream().filter(l -> l.startsWith("-") && !l.startsWith("---"))).hasSize(2);
    assertThat(lines.stream().filter(l -> l.startsWith("+") && !l.startsWith("+++"))).hasSize(3);
    assertThat(lines).hasSizeLessThanOrEqualTo(2 + 3 * (1 + 2 * 3 + 2));
    assertThat(apply(before, diff)).isEqualTo(after);
  }

  @Test
  void equal_isEmpty() {
    assertThat(TextDiff.unified("/f", "a\n", "a\n")).isEmpty();
  }

  // The hunks are checked through patch(), the unredacted form of the same diff: unified() prints a
  // credential line's value as "(sensitive)" by design (a generated "PW : !" is one), so what it
  // prints does not apply; that redaction has its own tests.
  @Test
  void applyingTheDiff_givesAfter() {
    qt().withExamples(400).forAll(texts(), texts())
        .checkAssert((before, after) -> assertThat(apply(before, TextDiff.patch("f", before, after))).isEqualTo(after));
  }

  @Test
  void applyingTheDiff_ofASmallEdit_givesAfter() {
    qt().withExamples(300).forAll(texts(), lists().of(integers().between(-50, 50)).ofSizeBetween(0, 4), Gens.lineText(8))
        .checkAssert((before, edits, inserted) -> {
          List<String> lines = new ArrayList<>(TextDiff.lines(before));
          for (int e : edits) {
            int at = lines.isEmpty() ? 0 : Math.floorMod(e, lines.size() + 1);
            if (e % 3 == 0 && at < lines.size()) {
              lines.remove(at);
            } else {
              lines.add(at, inserted + e);
            }
          }
          String after = String.join("\n", lines) + (lines.isEmpty() || Math.floorMod(edits.size(), 2) == 0 ? "" : "\n");
          assertThat(apply(before, TextDiff.patch("f", before, after))).isEqualTo(after);
        });
  }

  /**
   * Texts whose lines repeat (the hard case for a diff: many equal candidates) and texts over the
   * broad alphabet (CR, tabs, NUL, non-ASCII, no final newline).
   */
  static Gen<String> texts() {
    Gen<String> fewChars = Gens.joined(Generate.pick(List.of("a", "b", "\n")), 0, 30, "");
    Gen<String> repeatedLines = lists().of(Gens.lineText(6)).ofSizeBetween(1, 5)
        .flatMap(pool -> Gens.joined(Generate.pick(pool), 0, 40, "\n"));
    Gen<String> configLike = Gens.iniFile(List.of("s", "DEFAULT"), List.of("k", "a"));
    return Generate.oneOf(fewChars, repeatedLines, configLike, Gens.text(200)).describedAs(Gens::show);
  }

  private static final Pattern HUNK = Pattern.compile("@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@");

  /** A minimal `patch`: applies a unified diff, checking every context and removed line. */
  public static String apply(String before, String diff) {
    List<String> src = rawLines(before);
    List<String> out = new ArrayList<>();
    if (diff.isEmpty()) {
      return before;
    }
    List<String> d = TextDiff.lines(diff);
    assertThat(d.get(0)).startsWith("--- ");
    assertThat(d.get(1)).startsWith("+++ ");
    int next = 0;
    int i = 2;
    while (i < d.size()) {
      Matcher m = HUNK.matcher(d.get(i));
      assertThat(m.matches()).as("hunk header: %s", d.get(i)).isTrue();
      int startA = Integer.parseInt(m.group(1));
      int countA = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
      int countB = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
      int from = countA == 0 ? startA : startA - 1;
      assertThat(from).isGreaterThanOrEqualTo(next);
      out.addAll(src.subList(next, from));
      next = from;
      i++;
      int seenA = 0;
      int seenB = 0;
      while (i < d.size() && !d.get(i).startsWith("@@")) {
        String l = d.get(i);
        char op = l.charAt(0);
        String text = l.substring(1) + "\n";
        if (i + 1 < d.size() && d.get(i + 1).equals("\\ No newline at end of file")) {
          text = l.substring(1);
          i++;
        }
        if (op == ' ' || op == '-') {
          assertThat(src.get(next)).as("line %d of before", next + 1).isEqualTo(text);
          next++;
          seenA++;
        }
        if (op == ' ' || op == '+') {
          out.add(text);
          seenB++;
        }
        i++;
      }
      assertThat(seenA).as("old count").isEqualTo(countA);
      assertThat(seenB).as("new count").isEqualTo(countB);
    }
    out.addAll(src.subList(next, src.size()));
    return String.join("", out);
  }

  static List<String> rawLines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl + 1;
      lines.add(text.substring(start, end));
      start = end;
    }
    return lines;
  }
}

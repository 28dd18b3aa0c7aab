package dev.plumb.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/modules.md's guide to a Java resource type quotes a real, compiled class: every code block
 * of its section must be lines of the example type (src/test/java/dev/plumb/modules/Timezone.java),
 * its test, or its case files, in order (indentation aside). A guide that drifts from the code
 * fails here instead of misleading a newcomer.
 */
class ModulesGuideTest {
  private static final Path ROOT = Path.of(System.getProperty("plumb.root", "."));
  private static final String SECTION = "# Adding a built-in resource type in Java: a command and a fact";
  private static final Pattern BLOCK = Pattern.compile("(?m)^ *```(java|yaml)\\n(.*?)^ *```$", Pattern.DOTALL);

  @Test
  void everyCodeBlockOfTheJavaGuide_isQuotedFromTheExampleTypeItsTestOrItsCases() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/modules.md"));
    int start = doc.indexOf(SECTION);
    assertThat(start).as("the section '%s' of docs/modules.md", SECTION).isNotNegative();
    int next = doc.indexOf("\n# ", start + SECTION.length());
    String section = doc.substring(start, next < 0 ? doc.length() : next);

    Map<String, List<List<String>>> sources = Map.of(
        "java", List.of(lines(ROOT.resolve("src/test/java/dev/plumb/modules/Timezone.java")),
            lines(ROOT.resolve("src/test/java/dev/plumb/modules/TimezoneTest.java"))),
        "yaml", cases(ROOT.resolve("src/test/resources/modules/timezone")));

    List<String> notQuoted = new ArrayList<>();
    int blocks = 0;
    Matcher m = BLOCK.matcher(section);
    while (m.find()) {
      blocks++;
      List<String> block = stripped(m.group(2));
      if (sources.get(m.group(1)).stream().noneMatch(source -> Collections.indexOfSubList(source, block) >= 0)) {
        notQuoted.add(m.group(2));
      }
    }
    assertThat(blocks).as("code blocks in the guide").isGreaterThanOrEqualTo(6);
    assertThat(notQuoted).as("blocks of the guide that are not in the example's sources").isEmpty();
  }

  private static List<List<String>> cases(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().map(ModulesGuideTest::lines).toList();
    }
  }

  private static List<String> lines(Path file) {
    try {
      return stripped(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines without their indentation, blank ones left out: the guide indents code inside a list. */
  private static List<String> stripped(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }
}

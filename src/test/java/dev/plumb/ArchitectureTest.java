package dev.plumb;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.graph.GraphBuilder;
import com.google.common.graph.Graphs;
import com.google.common.graph.MutableGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's table of packages is the rule: every reference from one plumb package to
 * another in src/main/java (an import or a qualified name) must be one the table allows, and the
 * packages must import one way. The table is read from the document itself, so moving a wall means
 * changing the document, and a document that drifts from the code fails here.
 */
class ArchitectureTest {
  private static final Path ROOT = Path.of(System.getProperty("plumb.root", "."));
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z.]+)` \\|.*\\| ([^|]+) \\|\\s*$");
  private static final Pattern TICKED = Pattern.compile("`([a-z.]+)`");
  private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.plumb\\.([a-z]+(?:\\.[a-z]+)*)\\.[A-Z]");

  @Test
  void everyPackage_importsOnlyWhatDocsArchitectureAllows_andNoPackageImportsInALoop() throws IOException {
    Map<String, Set<String>> allowed = allowedImports();
    Map<String, Set<String>> used = usedImports();

    assertThat(used.keySet()).as("packages missing from the table in docs/architecture.md")
        .isSubsetOf(allowed.keySet());
    List<String> violations = new ArrayList<>();
    used.forEach((pkg, refs) -> refs.stream()
        .filter(ref -> !allowed.get(pkg).contains(ref))
        .forEach(ref -> violations.add(pkg + " -> " + ref)));
    assertThat(violations).as("imports docs/architecture.md does not allow").isEmpty();

    // The table is the narrowest true set: a package it lets import another that none of its
    // classes uses is a wall moved without saying so (drop it from the row's last column).
    Map<String, String> column = column();
    List<String> unused = new ArrayList<>();
    allowed.forEach((pkg, may) -> {
      if (!column.get(pkg).contains("everything")) {
        may.stream().filter(ref -> !used.getOrDefault(pkg, Set.of()).contains(ref))
            .forEach(ref -> unused.add(pkg + " -> " + ref));
      }
    });
    assertThat(unused).as("imports docs/architecture.md allows but no class uses").isEmpty();

    MutableGraph<String> graph = GraphBuilder.directed().allowsSelfLoops(false).build();
    used.forEach((pkg, refs) -> refs.forEach(ref -> graph.putEdge(pkg, ref)));
    assertThat(Graphs.hasCycle(graph)).as("packages import in a loop: %s", graph.edges()).isFalse();
  }

  /** package -> the plumb packages it may use, from the table's last column. */
  static Map<String, Set<String>> allowedImports() throws IOException {
    Map<String, String> column = column();
    assertThat(column).as("the package table of docs/architecture.md").isNotEmpty();
    Map<String, Set<String>> allowed = new LinkedHashMap<>();
    column.forEach((pkg, text) -> {
      Set<String> may = new LinkedHashSet<>();
      if (text.contains("everything")) {
        may.addAll(column.keySet());
      } else {
        // "`source`, `modules` (`Json`); never `modules.gpu`": what follows "never" is forbidden.
        Matcher t = TICKED.matcher(text.split("never")[0]);
        while (t.find()) {
          if (column.containsKey(t.group(1))) {
            may.add(t.group(1));
          }
        }
      }
      may.remove(pkg);
      allowed.put(pkg, may);
    });
    return allowed;
  }

  /** package -> the text of its row's last column in docs/architecture.md's table. */
  private static Map<String, String> column() throws IOException {
    Map<String, String> column = new LinkedHashMap<>();
    for (String line : Files.readAllLines(ROOT.resolve("docs/architecture.md"))) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        column.put(m.group(1), m.group(2));
      }
    }
    return column;
  }

  /** package -> the other plumb packages its main sources reference. */
  static Map<String, Set<String>> usedImports() throws IOException {
    Path src = ROOT.resolve("src/main/java/dev/plumb");
    Map<String, Set<String>> used = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(src)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
        String pkg = src.relativize(f.getParent()).toString().replace('/', '.');
        Set<String> refs = used.computeIfAbsent(pkg, k -> new TreeSet<>());
        Matcher m = REFERENCE.matcher(read(f));
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            refs.add(m.group(1));
          }
        }
      });
    }
    used.remove("");
    return used;
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

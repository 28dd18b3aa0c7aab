package dev.plumb.plan;

import static dev.plumb.plan.TestResources.RESTART;
import static dev.plumb.plan.TestResources.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.plumb.load.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {

  /** Edges (i, j) with i < j make a DAG; each resource i requires its listed earlier ones. */
  @Test
  void order_respectsEveryEdge_andDeclarationOrderAmongIndependents() {
    qt().withExamples(300)
        .forAll(integers().between(1, 12), lists().of(integers().between(0, 143)).ofSizeBetween(0, 30), longs().all())
        .checkAssert(DependencyGraphTest::orderRespectsEdges);
  }

  private static void orderRespectsEdges(int n, List<Integer> edgeCodes, long shuffleSeed) {
    List<List<String>> requires = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      requires.add(new ArrayList<>());
    }
    for (int code : edgeCodes) {
      int a = code / 12 % n;
      int b = code % 12 % n;
      if (a != b) {
        int from = Math.min(a, b);
        int to = Math.max(a, b);
        // Declaration order is shuffled below, so edges may point "backwards" in declaration.
        requires.get(to).add("trestart[u" + from + "]");
      }
    }
    List<Integer> declared = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      declared.add(i);
    }
    java.util.Collections.shuffle(declared, new java.util.Random(shuffleSeed));
    List<Resource> resources = new ArrayList<>();
    for (int pos = 0; pos < n; pos++) {
      int i = declared.get(pos);
      resources.add(resource(pos, RESTART, Map.of("unit", "u" + i), requires.get(i), List.of(), false));
    }

    List<Resource> order = DependencyGraph.of(resources).order();

    List<String> ids = order.stream().map(Resource::id).toList();
    assertThat(ids).hasSize(n);
    for (Resource r : resources) {
      for (String dep : r.requires()) {
        assertThat(ids.indexOf(dep)).as(dep + " before " + r.id()).isLessThan(ids.indexOf(r.id()));
      }
    }
    // Greedy: at each position, the earliest-declared resource whose requirements are met.
    Set<String> placed = new java.util.HashSet<>();
    for (Resource next : order) {
      Resource expected = resources.stream()
          .filter(r -> !placed.contains(r.id()) && placed.containsAll(r.requires()))
          .findFirst().orElseThrow();
      assertThat(next.id()).isEqualTo(expected.id());
      placed.add(next.id());
    }
  }
}

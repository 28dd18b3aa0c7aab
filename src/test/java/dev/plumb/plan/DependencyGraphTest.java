package dev.plumb.plan;

import static dev.plumb.plan.TestResources.RESTART;
import static dev.plumb.plan.TestResources.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.load.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class DependencyGraphTest {

  /** Edges (i, j) with i < j make a DAG; each resource i requires its listed earlier ones. */
  @Property(tries = 300)
  void order_respectsEveryEdge_andDeclarationOrderAmongIndependents(
      @ForAll @IntRange(min = 1, max = 12) int n,
      @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 143) Integer> edgeCodes,
      @ForAll long shuffleSeed) {
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

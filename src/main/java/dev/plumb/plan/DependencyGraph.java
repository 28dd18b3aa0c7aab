package dev.plumb.plan;

import com.google.common.graph.ElementOrder;
import com.google.common.graph.GraphBuilder;
import com.google.common.graph.Graphs;
import com.google.common.graph.MutableGraph;
import dev.plumb.facts.Fact;
import dev.plumb.load.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The order of a host's resources: explicit {@code requires}, implicit edges (a resource that
 * writes a file before every resource that reads it; a handler after its notifiers), then a
 * topological sort whose ties go to declaration order, so the same input gives the same plan.
 */
final class DependencyGraph {
  private final MutableGraph<Resource> graph;
  private final Map<String, Resource> byId = new LinkedHashMap<>();

  private DependencyGraph(MutableGraph<Resource> graph) {
    this.graph = graph;
  }

  static DependencyGraph of(List<Resource> resources) {
    MutableGraph<Resource> g = GraphBuilder.directed().allowsSelfLoops(false)
        .nodeOrder(ElementOrder.insertion()).build();
    DependencyGraph dg = new DependencyGraph(g);
    resources.forEach(r -> {
      g.addNode(r);
      dg.byId.put(r.id(), r);
    });
    // Explicit edges first: they are the user's word, and implicit ones must not contradict them.
    for (Resource r : resources) {
      for (String dep : r.requires()) {
        Resource d = dg.byId.get(dep);
        if (d != null) {
          g.putEdge(d, r);
        }
      }
      for (String handler : r.notifies()) {
        Resource h = dg.byId.get(handler);
        if (h != null) {
          g.putEdge(r, h);
        }
      }
    }
    dg.addTypeEdges(resources);
    dg.addFileEdges(resources);
    return dg;
  }

  /** Module-declared order between types ({@link dev.plumb.modules.Module#after()}). */
  private void addTypeEdges(List<Resource> resources) {
    Map<String, List<Resource>> byType = new LinkedHashMap<>();
    resources.forEach(r -> byType.computeIfAbsent(r.type(), t -> new ArrayList<>()).add(r));
    for (Resource later : resources) {
      for (String type : later.module().after()) {
        for (Resource earlier : byType.getOrDefault(type, List.of())) {
          if (earlier != later && !graph.hasEdgeConnecting(earlier, later)
              && !Graphs.reachableNodes(graph, later).contains(earlier)) {
            graph.putEdge(earlier, later);
          }
        }
      }
    }
  }

  /**
   * Writer before reader; an edge that would close a cycle is left out (declared order wins).
   * Readers are indexed by path: comparing every writer with every reader made 10,000 files
   * plan in minutes.
   */
  private void addFileEdges(List<Resource> resources) {
    // Exact file reads indexed by path; glob reads (and glob writes, rare) checked one by one.
    Map<String, List<Resource>> readers = new java.util.HashMap<>();
    List<Map.Entry<Resource, Fact.Files>> globReaders = new ArrayList<>();
    for (Resource r : resources) {
      for (Fact f : r.module().facts(r.params())) {
        if (f instanceof Fact.File file) {
          List<Resource> list = readers.computeIfAbsent(file.path(), k -> new ArrayList<>());
          if (list.isEmpty() || list.get(list.size() - 1) != r) {
            list.add(r);
          }
        } else if (f instanceof Fact.Files glob) {
          globReaders.add(Map.entry(r, glob));
        }
      }
    }
    List<Resource[]> candidates = new ArrayList<>();
    for (Resource writer : resources) {
      Set<Resource> found = new java.util.LinkedHashSet<>();
      for (String w : writer.module().writes(writer.params())) {
        boolean isGlob = w.indexOf('*') >= 0 || w.indexOf('?') >= 0 || w.indexOf('[') >= 0;
        if (isGlob) {
          Fact.Files pattern = Fact.files(w);
          readers.forEach((path, rs) -> {
            if (pattern.matches(path)) {
              found.addAll(rs);
            }
          });
        } else {
          found.addAll(readers.getOrDefault(w, List.of()));
        }
        for (Map.Entry<Resource, Fact.Files> g : globReaders) {
          if (g.getValue().matches(w) || w.equals(g.getValue().glob())) {
            found.add(g.getKey());
          }
        }
      }
      found.remove(writer);
      found.forEach(reader -> candidates.add(new Resource[] {writer, reader}));
    }
    // Forward edges (writer declared first) before backward ones, so two writers of one file keep
    // their declared order; otherwise (writer, reader) in declaration order, as before.
    candidates.sort(Comparator.comparingInt((Resource[] e) -> e[0].order() < e[1].order() ? 0 : 1)
        .thenComparingInt(e -> e[0].order()).thenComparingInt(e -> e[1].order()));
    for (Resource[] e : candidates) {
      if (!graph.hasEdgeConnecting(e[0], e[1]) && !Graphs.reachableNodes(graph, e[1]).contains(e[0])) {
        graph.putEdge(e[0], e[1]);
      }
    }
  }

  /** Ids of the direct predecessors of a resource, in declaration order. */
  List<String> predecessors(Resource r) {
    return graph.predecessors(r).stream().sorted(Comparator.comparingInt(Resource::order))
        .map(Resource::id).toList();
  }

  /**
   * Kahn's algorithm, ties broken by declaration order.
   *
   * @throws IllegalStateException on a cycle (the loader rejects explicit cycles first, so this is
   *     a bug)
   */
  List<Resource> order() {
    Map<Resource, Integer> indegree = new LinkedHashMap<>();
    graph.nodes().forEach(n -> indegree.put(n, graph.inDegree(n)));
    PriorityQueue<Resource> ready = new PriorityQueue<>(Comparator.comparingInt(Resource::order));
    indegree.forEach((n, d) -> {
      if (d == 0) {
        ready.add(n);
      }
    });
    List<Resource> out = new ArrayList<>();
    while (!ready.isEmpty()) {
      Resource n = ready.poll();
      out.add(n);
      for (Resource s : graph.successors(n)) {
        if (indegree.merge(s, -1, Integer::sum) == 0) {
          ready.add(s);
        }
      }
    }
    if (out.size() != graph.nodes().size()) {
      throw new IllegalStateException("dependency cycle among " + graph.nodes().size() + " resources");
    }
    return out;
  }
}

package dev.plumb.load;

import dev.plumb.source.Problems;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks of one host's resources taken together, once {@link HostBuild} has built them: no cycle
 * among requires and notify, and no second writer of a file one resource writes whole.
 */
final class ResourceChecks {
  private ResourceChecks() {}

  /**
   * A file whose whole content one resource decides has no other writer on the host: two writers
   * of one path rewrite it in turn on every run (kernel_module {name: vfio} and pci_passthrough
   * both wrote /etc/modules-load.d/vfio.conf: the initramfs was rebuilt, and with --reboot
   * if-needed the host rebooted, on every apply). Reported once per path and pair, at the later
   * one. Writers are indexed by path (hosts with 10,000 resources load in this pass too).
   */
  static void oneWriterPerOwnedFile(List<Resource> resources, Problems problems) {
    Map<String, List<Resource>> owners = new LinkedHashMap<>();
    Map<String, List<Resource>> writers = new java.util.HashMap<>();
    List<Map.Entry<Resource, java.nio.file.PathMatcher>> globWriters = new ArrayList<>();
    for (Resource r : resources) {
      try {
        new java.util.TreeSet<>(r.module().owns(r.params())).forEach(p -> owners.computeIfAbsent(p, k -> new ArrayList<>()).add(r));
        for (String w : r.module().writes(r.params())) {
          if (isGlob(w)) {
            globWriters.add(Map.entry(r, java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + w)));
          } else {
            writers.computeIfAbsent(w, k -> new ArrayList<>()).add(r);
          }
        }
      } catch (RuntimeException e) {
        // parameters the checks above refused: that error is the one to show
      }
    }
    Set<String> reported = new HashSet<>();
    owners.forEach((path, owning) -> {
      Set<Resource> all = new LinkedHashSet<>(writers.getOrDefault(path, List.of()));
      globWriters.stream().filter(g -> g.getValue().matches(java.nio.file.Path.of(path))).forEach(g -> all.add(g.getKey()));
      for (Resource owner : owning) {
        for (Resource other : all) {
          if (other == owner) {
            continue;
          }
          Resource earlier = owner.order() < other.order() ? owner : other;
          Resource later = earlier == owner ? other : owner;
          if (!reported.add(path + " " + earlier.id() + " " + later.id())) {
            continue;
          }
          problems.error(later.mark(), later.id() + " and " + earlier.id() + " (" + earlier.mark() + ") both write " + path
              + ": " + owner.id() + " writes the whole file, so every run would rewrite it back and forth (and rebuild the"
              + " initramfs, or reboot, every time)",
              "keep one writer of " + path + ": remove " + other.id() + " if " + owner.id() + " already covers it, or give one"
              + " of them another file");
        }
      }
    });
  }

  private static boolean isGlob(String path) {
    return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0;
  }

  /**
   * Every cycle among requires and notify (a handler runs after its notifiers, so handlers that
   * notify each other are a cycle too: it passed lint and crashed the planner), once each, as
   * {@code a -> b -> a} with where each was declared.
   */
  static void cycles(List<Resource> resources, Problems problems) {
    Map<String, Resource> byIdNow = new LinkedHashMap<>();
    resources.forEach(r -> byIdNow.put(r.id(), r));
    Map<String, List<String>> notifiedBy = new LinkedHashMap<>();
    resources.forEach(r -> r.notifies().forEach(h -> notifiedBy.computeIfAbsent(h, k -> new ArrayList<>()).add(r.id())));
    Map<String, Integer> state = new LinkedHashMap<>();
    Set<String> reported = new HashSet<>();
    for (Resource r : resources) {
      visit(r.id(), byIdNow, notifiedBy, state, new ArrayList<>(), reported, problems);
    }
  }

  private static void visit(String id, Map<String, Resource> byIdNow, Map<String, List<String>> notifiedBy,
      Map<String, Integer> state, List<String> stack, Set<String> reported, Problems problems) {
    Integer s = state.get(id);
    if (s != null && s == 2) {
      return;
    }
    if (s != null && s == 1) {
      List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(id), stack.size()));
      // Start at the earliest declared resource so the same cycle is reported the same way once.
      int start = 0;
      for (int i = 1; i < cycle.size(); i++) {
        if (byIdNow.get(cycle.get(i)).order() < byIdNow.get(cycle.get(start)).order()) {
          start = i;
        }
      }
      List<String> rotated = new ArrayList<>(cycle.subList(start, cycle.size()));
      rotated.addAll(cycle.subList(0, start));
      if (reported.add(String.join(" ", rotated))) {
        List<String> where = rotated.stream().map(c -> c + " at " + byIdNow.get(c).mark()).toList();
        rotated.add(rotated.get(0));
        problems.error(byIdNow.get(rotated.get(0)).mark(), "dependency cycle: " + String.join(" -> ", rotated),
            "remove one of these requires or notify: " + String.join(", ", where));
      }
      return;
    }
    state.put(id, 1);
    stack.add(id);
    for (String next : byIdNow.get(id).requires()) {
      visit(next, byIdNow, notifiedBy, state, stack, reported, problems);
    }
    for (String next : notifiedBy.getOrDefault(id, List.of())) {
      visit(next, byIdNow, notifiedBy, state, stack, reported, problems);
    }
    stack.remove(stack.size() - 1);
    state.put(id, 2);
  }
}

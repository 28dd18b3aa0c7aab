package dev.plumb.modules.gpu;

import dev.plumb.modules.IniDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * nova-scheduler's enabled filters as {@code nova_pci} leaves them: the option the release reads,
 * the filter names, whether the option must be written, and notes on other filter options found
 * set: which option holds the filters, and which list to start from, is a job apart from the PCI
 * options (three option names over nova's releases, one of them deprecated for a while).
 */
record SchedulerFilters(NovaRelease.Option option, List<String> names, boolean write, List<String> notes) {

  /**
   * Where the enabled filters start from: the option the release reads when it is set; before
   * xena, when only the deprecated [DEFAULT] scheduler_default_filters is set, that one (nova
   * still honours it, and an operator's own filters must not vanish); otherwise nova's default
   * for the release. The wanted filters are added to it and the result is written under the
   * name the release reads.
   */
  static SchedulerFilters of(IniDocument conf, NovaRelease release, List<String> add) {
    NovaRelease.Option f = release.filters();
    List<String> notes = new ArrayList<>();
    List<String> have = conf.values(f.section(), f.name());
    List<String> start;
    boolean fromOld = false;
    if (!have.isEmpty()) {
      start = split(have.get(have.size() - 1));
    } else {
      Optional<NovaRelease.Option> old = release.oldFilters();
      List<String> oldHave = old.map(o -> conf.values(o.section(), o.name())).orElse(List.of());
      if (!oldHave.isEmpty()) {
        start = split(oldHave.get(oldHave.size() - 1));
        fromOld = true;
      } else {
        start = release.defaultFilters();
      }
    }
    for (NovaRelease.Option o : List.of(NovaRelease.DEFAULT_FILTERS, NovaRelease.ENABLED_FILTERS)) {
      if (!o.equals(f) && !conf.values(o.section(), o.name()).isEmpty()) {
        if (fromOld && release.oldFilters().orElseThrow().equals(o)) {
          continue;
        }
        notes.add(o + " is also set; " + release + " " + (release.reads().contains(o) ? "uses " + f + " instead" : "does not read it")
            + ": remove it");
      }
    }
    List<String> names = new ArrayList<>(start);
    boolean added = false;
    for (String want : add) {
      if (!names.contains(want)) {
        names.add(want);
        added = true;
      }
    }
    if (fromOld && added) {
      notes.add("started from " + release.oldFilters().orElseThrow() + " (deprecated; xena no longer reads it) and wrote "
          + f + ", which " + release.name() + " reads first: remove the old one");
    } else if (fromOld) {
      notes.add(release.oldFilters().orElseThrow() + " is deprecated and xena no longer reads it: move it to " + f);
    }
    return new SchedulerFilters(f, names, added, notes);
  }

  /** A filter option's value as names: comma-separated, blanks ignored. */
  static List<String> split(String value) {
    List<String> out = new ArrayList<>();
    for (String f : value.split(",")) {
      if (!f.isBlank()) {
        out.add(f.strip());
      }
    }
    return out;
  }
}

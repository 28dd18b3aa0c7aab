package dev.plumb.modules.gpu;

import dev.plumb.source.Suggest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The nova releases plumb supports and what each one reads: the nova.conf option names for PCI
 * passthrough and the scheduler filters, nova's default filter list and the filter classes that
 * exist. nova-scheduler refuses to start on a filter class it does not have
 * (SchedulerHostFilterNotFound), so these tables are taken from nova's source at each release tag,
 * never from memory: {@code nova/conf/scheduler.py} (before 13.0.0
 * {@code nova/scheduler/host_manager.py}), {@code nova/conf/pci.py} (before 13.0.0
 * {@code nova/pci/request.py} / {@code pci_request.py}) and the classes derived from
 * {@code BaseHostFilter} in {@code nova/scheduler/filters/*.py}. The same data, as extracted, is
 * in src/test/resources/nova/releases.json, which the tests hold this class to.
 *
 * <p>Over 250 lines because most of it is those tables, one row a line so that a row can be read
 * against nova's source; the code around them is short lookups by release.
 */
record NovaRelease(String name, int index) {

  /** PCI passthrough is in nova from Havana on; earlier releases are not supported. */
  static final List<String> NAMES = List.of("havana", "icehouse", "juno", "kilo", "liberty", "mitaka", "newton", "ocata",
      "pike", "queens", "rocky", "stein", "train", "ussuri", "victoria", "wallaby", "xena", "yoga", "zed", "antelope",
      "bobcat", "caracal", "dalmatian", "epoxy", "flamingo", "gazpacho");
  /** nova's release tag of each name, in the same order. */
  static final List<String> TAGS = List.of("2013.2", "2014.1", "2014.2", "2015.1.0", "12.0.0", "13.0.0", "14.0.0", "15.0.0",
      "16.0.0", "17.0.0", "18.0.0", "19.0.0", "20.0.0", "21.0.0", "22.0.0", "23.0.0", "24.0.0", "25.0.0", "26.0.0", "27.0.0",
      "28.0.0", "29.0.0", "30.0.0", "31.0.0", "32.0.0", "33.0.0");
  static final List<String> NUMBERED = List.of("2023.1", "2023.2", "2024.1", "2024.2", "2025.1", "2025.2", "2026.1");
  /** Releases before Havana: named so that the message can say why they are refused. */
  static final List<String> OLDER = List.of("austin", "bexar", "cactus", "diablo", "essex", "folsom", "grizzly");

  static Optional<NovaRelease> of(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    int n = NUMBERED.indexOf(t);
    if (n >= 0) {
      t = NAMES.get(NAMES.indexOf("antelope") + n);
    }
    int i = NAMES.indexOf(t);
    return i < 0 ? Optional.empty() : Optional.of(new NovaRelease(t, i));
  }

  /** Every supported release, oldest first. */
  static List<NovaRelease> all() {
    List<NovaRelease> out = new ArrayList<>();
    for (int i = 0; i < NAMES.size(); i++) {
      out.add(new NovaRelease(NAMES.get(i), i));
    }
    return out;
  }

  /** The message for a release name plumb does not take (null when it is fine). */
  static String unknown(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (OLDER.contains(t)) {
      return "OpenStack " + t + " predates PCI passthrough in nova (havana, 2013.2, is the first release plumb supports)";
    }
    if (of(t).isPresent()) {
      return null;
    }
    List<String> all = new ArrayList<>(NAMES);
    all.addAll(NUMBERED);
    return "unknown OpenStack release '" + text + "'"
        + Suggest.closest(t, all, 3).map(s -> "; did you mean " + s + "?").orElse("");
  }

  /** nova's tag of this release, e.g. 14.0.0 for newton. */
  String tag() {
    return TAGS.get(index);
  }

  @Override
  public String toString() {
    return name + " (" + tag() + ")";
  }

  private boolean atLeast(String other) {
    return index >= NAMES.indexOf(other);
  }

  /** A section and an option name. */
  record Option(String section, String name) {
    @Override
    public String toString() {
      return "[" + section + "] " + name;
    }
  }

  static final Option DEFAULT_WHITELIST = new Option("DEFAULT", "pci_passthrough_whitelist");
  static final Option DEFAULT_ALIAS = new Option("DEFAULT", "pci_alias");
  static final Option DEFAULT_FILTERS = new Option("DEFAULT", "scheduler_default_filters");
  static final Option PCI_WHITELIST = new Option("pci", "passthrough_whitelist");
  static final Option PCI_DEVICE_SPEC = new Option("pci", "device_spec");
  static final Option PCI_ALIAS = new Option("pci", "alias");
  static final Option ENABLED_FILTERS = new Option("filter_scheduler", "enabled_filters");

  /**
   * The whitelist's name: [DEFAULT] up to newton (14.0.0 still registers pci_passthrough_whitelist
   * in the DEFAULT group), [pci] passthrough_whitelist from ocata (15.0.0), [pci] device_spec
   * from zed (26.0.0, the old names kept as deprecated ones).
   */
  Option whitelist() {
    if (atLeast("zed")) {
      return PCI_DEVICE_SPEC;
    }
    return atLeast("ocata") ? PCI_WHITELIST : DEFAULT_WHITELIST;
  }

  /** The names the whitelist had in other releases (a leftover one is reported). */
  List<Option> oldWhitelists() {
    return List.of(DEFAULT_WHITELIST, PCI_WHITELIST, PCI_DEVICE_SPEC).stream().filter(o -> !o.equals(whitelist())).toList();
  }

  /** [DEFAULT] pci_alias up to newton, [pci] alias from ocata (15.0.0). */
  Option alias() {
    return atLeast("ocata") ? PCI_ALIAS : DEFAULT_ALIAS;
  }

  /**
   * [DEFAULT] scheduler_default_filters up to newton; [filter_scheduler] enabled_filters from
   * ocata (15.0.0), which reads the old name as a deprecated one up to wallaby (23.0.0); xena
   * (24.0.0) dropped it.
   */
  Option filters() {
    return atLeast("ocata") ? ENABLED_FILTERS : DEFAULT_FILTERS;
  }

  /** The old filter option this release still reads when the current one is unset, if any. */
  Optional<Option> oldFilters() {
    return atLeast("ocata") && !atLeast("xena") ? Optional.of(DEFAULT_FILTERS) : Optional.empty();
  }

  /** Every option name of the PCI and filter options this release reads (current and deprecated names). */
  Set<Option> reads() {
    Set<Option> out = new LinkedHashSet<>();
    out.add(whitelist());
    out.add(alias());
    out.add(filters());
    oldFilters().ifPresent(out::add);
    if (atLeast("ocata")) {
      // deprecated_name/deprecated_group (ocata..) and DeprecatedOpt (zed..) in nova/conf/pci.py
      out.add(DEFAULT_WHITELIST);
      out.add(DEFAULT_ALIAS);
    }
    if (atLeast("zed")) {
      out.add(PCI_WHITELIST);
    }
    return out;
  }

  /** Every option name any supported release reads for PCI passthrough or the filters. */
  static Set<Option> allOptions() {
    return new LinkedHashSet<>(List.of(DEFAULT_WHITELIST, DEFAULT_ALIAS, DEFAULT_FILTERS, PCI_WHITELIST, PCI_DEVICE_SPEC,
        PCI_ALIAS, ENABLED_FILTERS));
  }

  /** A default filter list and the first release that has it. */
  private record Defaults(String since, List<String> filters) {}

  // The default of scheduler_default_filters / enabled_filters at each tag; a list holds until the next row.
  private static final List<Defaults> DEFAULTS = List.of(
      new Defaults("havana", List.of("RetryFilter", "AvailabilityZoneFilter", "RamFilter", "ComputeFilter",
          "ComputeCapabilitiesFilter", "ImagePropertiesFilter")),                                      // 2013.2
      new Defaults("icehouse", List.of("RetryFilter", "AvailabilityZoneFilter", "RamFilter", "ComputeFilter",
          "ComputeCapabilitiesFilter", "ImagePropertiesFilter", "ServerGroupAntiAffinityFilter",
          "ServerGroupAffinityFilter")),                                                                  // 2014.1 .. 2015.1.0
      new Defaults("liberty", List.of("RetryFilter", "AvailabilityZoneFilter", "RamFilter", "DiskFilter", "ComputeFilter",
          "ComputeCapabilitiesFilter", "ImagePropertiesFilter", "ServerGroupAntiAffinityFilter",
          "ServerGroupAffinityFilter")),                                                                  // 12.0.0 .. 15.0.0
      new Defaults("pike", List.of("RetryFilter", "AvailabilityZoneFilter", "ComputeFilter", "ComputeCapabilitiesFilter",
          "ImagePropertiesFilter", "ServerGroupAntiAffinityFilter", "ServerGroupAffinityFilter")),       // 16.0.0 .. 19.0.0
      new Defaults("train", List.of("AvailabilityZoneFilter", "ComputeFilter", "ComputeCapabilitiesFilter",
          "ImagePropertiesFilter", "ServerGroupAntiAffinityFilter", "ServerGroupAffinityFilter")),       // 20.0.0 .. 23.0.0
      new Defaults("xena", List.of("ComputeFilter", "ComputeCapabilitiesFilter", "ImagePropertiesFilter",
          "ServerGroupAntiAffinityFilter", "ServerGroupAffinityFilter")));                               // 24.0.0 .. 33.0.0

  /** nova's default filter list in this release (what it uses when the option is not set). */
  List<String> defaultFilters() {
    List<String> out = DEFAULTS.get(0).filters();
    for (Defaults d : DEFAULTS) {
      if (atLeast(d.since())) {
        out = d.filters();
      }
    }
    return out;
  }

  /** A filter class, the first release that has it and the first that no longer has it (null: still there). */
  record FilterClass(String name, String since, String goneAt) {}

  // The host filter classes in nova/scheduler/filters/*.py (subclasses of BaseHostFilter, the
  // Base* classes left out) at each tag, as the first tag with the class .. the first tag without it.
  static final List<FilterClass> CLASSES = List.of(
      new FilterClass("AffinityFilter", "havana", "kilo"),                          // 2013.2 .. 2015.1.0
      new FilterClass("AggregateCoreFilter", "havana", "victoria"),                 // 2013.2 .. 22.0.0
      new FilterClass("AggregateDiskFilter", "juno", "victoria"),                   // 2014.2 .. 22.0.0
      new FilterClass("AggregateImagePropertiesIsolation", "icehouse", null),       // 2014.1
      new FilterClass("AggregateInstanceExtraSpecsFilter", "havana", null),         // 2013.2
      new FilterClass("AggregateIoOpsFilter", "juno", null),                        // 2014.2
      new FilterClass("AggregateMultiTenancyIsolation", "havana", null),            // 2013.2
      new FilterClass("AggregateNumInstancesFilter", "juno", null),                 // 2014.2
      new FilterClass("AggregateRamFilter", "havana", "victoria"),                  // 2013.2 .. 22.0.0
      new FilterClass("AggregateTypeAffinityFilter", "havana", null),               // 2013.2
      new FilterClass("AllHostsFilter", "havana", null),                            // 2013.2
      new FilterClass("AvailabilityZoneFilter", "havana", "bobcat"),                // 2013.2 .. 28.0.0
      new FilterClass("ComputeCapabilitiesFilter", "havana", null),                 // 2013.2
      new FilterClass("ComputeFilter", "havana", null),                             // 2013.2
      new FilterClass("CoreFilter", "havana", "train"),                             // 2013.2 .. 20.0.0
      new FilterClass("DifferentHostFilter", "havana", null),                       // 2013.2
      new FilterClass("DiskFilter", "havana", "train"),                             // 2013.2 .. 20.0.0
      new FilterClass("ExactCoreFilter", "juno", "rocky"),                          // 2014.2 .. 18.0.0
      new FilterClass("ExactDiskFilter", "juno", "rocky"),                          // 2014.2 .. 18.0.0
      new FilterClass("ExactRamFilter", "juno", "rocky"),                           // 2014.2 .. 18.0.0
      new FilterClass("GroupAffinityFilter", "havana", "kilo"),                     // 2013.2 .. 2015.1.0
      new FilterClass("GroupAntiAffinityFilter", "havana", "kilo"),                 // 2013.2 .. 2015.1.0
      new FilterClass("ImagePropertiesFilter", "havana", null),                     // 2013.2
      new FilterClass("IoOpsFilter", "havana", null),                               // 2013.2
      new FilterClass("IsolatedHostsFilter", "havana", null),                       // 2013.2
      new FilterClass("JsonFilter", "havana", null),                                // 2013.2
      new FilterClass("MetricsFilter", "icehouse", null),                           // 2014.1
      new FilterClass("NUMATopologyFilter", "juno", null),                          // 2014.2
      new FilterClass("NumInstancesFilter", "havana", null),                        // 2013.2
      new FilterClass("PciPassthroughFilter", "havana", null),                      // 2013.2
      new FilterClass("RamFilter", "havana", "train"),                              // 2013.2 .. 20.0.0
      new FilterClass("RetryFilter", "havana", "victoria"),                         // 2013.2 .. 22.0.0
      new FilterClass("SameHostFilter", "havana", null),                            // 2013.2
      new FilterClass("ServerGroupAffinityFilter", "icehouse", null),               // 2014.1
      new FilterClass("ServerGroupAntiAffinityFilter", "icehouse", null),           // 2014.1
      new FilterClass("SimpleCIDRAffinityFilter", "havana", null),                  // 2013.2
      new FilterClass("TrustedFilter", "havana", "queens"),                         // 2013.2 .. 17.0.0
      new FilterClass("TypeAffinityFilter", "havana", "queens"));                   // 2013.2 .. 17.0.0

  /** The filter classes this release has. */
  List<String> filterClasses() {
    return CLASSES.stream()
        .filter(c -> atLeast(c.since()) && (c.goneAt() == null || !atLeast(c.goneAt())))
        .map(FilterClass::name).toList();
  }

  boolean hasFilter(String name) {
    return filterClasses().contains(name);
  }

  /**
   * Why this release has no filter class of that name, with what to write instead when there is
   * a likely one; empty when it has the class.
   */
  Optional<String> filterProblem(String name) {
    if (hasFilter(name)) {
      return Optional.empty();
    }
    Optional<FilterClass> known = CLASSES.stream().filter(c -> c.name().equals(name)).findFirst();
    if (known.isPresent()) {
      FilterClass c = known.get();
      NovaRelease since = of(c.since()).orElseThrow();
      if (index < since.index()) {
        return Optional.of("nova " + this + " has no filter " + name + " (it arrived in " + since + ")");
      }
      NovaRelease gone = of(c.goneAt()).orElseThrow();
      return Optional.of("nova " + this + " has no filter " + name + " (deleted in " + gone + ")");
    }
    return Optional.of("nova " + this + " has no filter " + name);
  }

  /** "; did you mean X?" for a filter class this release does not have, or "". */
  String filterSuggestion(String name) {
    // A class name is long: allow up to a quarter of it in edits (the seed's
    // AggregateImagePropertiesStrictIsolation is six letters off AggregateImagePropertiesIsolation).
    return Suggest.closest(name, filterClasses(), Math.max(2, name.length() / 4)).filter(s -> !s.equals(name))
        .map(s -> "; did you mean " + s + "?").orElse("");
  }

  boolean atLeastPike() {
    return atLeast("pike");
  }

  boolean atLeastRocky() {
    return atLeast("rocky");
  }

  boolean atLeastVictoria() {
    return atLeast("victoria");
  }
}

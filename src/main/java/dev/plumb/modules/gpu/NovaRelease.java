package dev.plumb.modules.gpu;

import dev.plumb.source.Suggest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * OpenStack releases and the nova.conf option names each uses for PCI passthrough (see the table in
 * GPU-DOMAIN.md). Series names and their 2023.1+ numbers are both accepted.
 */
record NovaRelease(String name, int index) {

  static final List<String> NAMES = List.of("austin", "bexar", "cactus", "diablo", "essex", "folsom", "grizzly",
      "havana", "icehouse", "juno", "kilo", "liberty", "mitaka", "newton", "ocata", "pike", "queens", "rocky",
      "stein", "train", "ussuri", "victoria", "wallaby", "xena", "yoga", "zed", "antelope", "bobcat", "caracal",
      "dalmatian", "epoxy", "flamingo", "gazpacho");
  static final List<String> NUMBERED = List.of("2023.1", "2023.2", "2024.1", "2024.2", "2025.1", "2025.2", "2026.1");

  static Optional<NovaRelease> of(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    int n = NUMBERED.indexOf(t);
    if (n >= 0) {
      t = NAMES.get(NAMES.indexOf("antelope") + n);
    }
    int i = NAMES.indexOf(t);
    return i < 0 ? Optional.empty() : Optional.of(new NovaRelease(t, i));
  }

  static Optional<String> didYouMean(String text) {
    List<String> all = new java.util.ArrayList<>(NAMES);
    all.addAll(NUMBERED);
    return Suggest.closest(text.strip().toLowerCase(Locale.ROOT), all, 3);
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

  Option whitelist() {
    if (atLeast("zed")) {
      return new Option("pci", "device_spec");
    }
    return atLeast("newton") ? new Option("pci", "passthrough_whitelist") : new Option("DEFAULT", "pci_passthrough_whitelist");
  }

  /** The names the whitelist had in other releases (a leftover one is reported). */
  List<Option> oldWhitelists() {
    return List.of(new Option("DEFAULT", "pci_passthrough_whitelist"), new Option("pci", "passthrough_whitelist"),
        new Option("pci", "device_spec")).stream().filter(o -> !o.equals(whitelist())).toList();
  }

  Option alias() {
    return atLeast("newton") ? new Option("pci", "alias") : new Option("DEFAULT", "pci_alias");
  }

  Option filters() {
    return atLeast("ocata") ? new Option("filter_scheduler", "enabled_filters") : new Option("DEFAULT", "scheduler_default_filters");
  }

  /** nova's default filter list in this release (used when the option is not set). */
  List<String> defaultFilters() {
    if (atLeast("wallaby")) {
      return List.of("AvailabilityZoneFilter", "ComputeFilter", "ComputeCapabilitiesFilter", "ImagePropertiesFilter",
          "ServerGroupAntiAffinityFilter", "ServerGroupAffinityFilter");
    }
    if (atLeast("train")) {
      return List.of("RetryFilter", "AvailabilityZoneFilter", "ComputeFilter", "ComputeCapabilitiesFilter",
          "ImagePropertiesFilter", "ServerGroupAntiAffinityFilter", "ServerGroupAffinityFilter");
    }
    return List.of("RetryFilter", "AvailabilityZoneFilter", "RamFilter", "DiskFilter", "ComputeFilter",
        "ComputeCapabilitiesFilter", "ImagePropertiesFilter", "ServerGroupAntiAffinityFilter", "ServerGroupAffinityFilter");
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

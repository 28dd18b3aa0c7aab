package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The host's PCI devices from sysfs (vendor, device, class, bound driver, IOMMU group) and its
 * IOMMU groups: one fact snippet, one pure parser.
 */
record PciDevices(List<Device> devices, Map<String, List<String>> groups) {

  /** One PCI function; {@code driver} and {@code group} are null when there is none. */
  record Device(String address, String vendor, String device, String pciClass, String driver, String group) {
    /** {@code 10de:1b80}. */
    String id() {
      return vendor + ":" + device;
    }

    /** {@code 0000:42:00} of {@code 0000:42:00.1}. */
    String slot() {
      int dot = address.lastIndexOf('.');
      return dot < 0 ? address : address.substring(0, dot);
    }

    boolean isBridge() {
      return pciClass.startsWith("0604");
    }

    boolean isDisplay() {
      return pciClass.startsWith("03");
    }

    boolean isAudio() {
      return pciClass.startsWith("0403");
    }
  }

  /** An audio function of a GPU's slot. */
  record PciGpuAudio(String address) {}

  // Prints "group N addr…" per IOMMU group, then "dev addr vendor device class driver group" per
  // device ("-" for no driver or no group). Shell builtins only (it runs on every host each watch
  // cycle): `read` for the one-line sysfs attributes, `cd -P` to name a link's target (sysfs
  // links end at the driver's or the group's own directory, so its name is the link's basename).
  // Inline (no subshell): it goes back to the directory it found (or to / if that one is gone), so
  // the kept shell's directory never drifts into sysfs.
  static final Fact.Command FACT = Fact.Command.inline(
      "o=$PWD; for g in /sys/kernel/iommu_groups/*; do [ -d \"$g/devices\" ] || continue; printf 'group %s' \"${g##*/}\"; "
          + "for m in \"$g\"/devices/*; do [ -e \"$m\" ] && printf ' %s' \"${m##*/}\"; done; echo; done; "
          + "for d in /sys/bus/pci/devices/*; do [ -r \"$d/vendor\" ] || continue; "
          + "dr=; [ -L \"$d/driver\" ] && cd -P \"$d/driver\" 2>/dev/null && dr=${PWD##*/}; [ -n \"$dr\" ] || dr=-; "
          + "g=; [ -L \"$d/iommu_group\" ] && cd -P \"$d/iommu_group\" 2>/dev/null && g=${PWD##*/}; [ -n \"$g\" ] || g=-; "
          + "v=; read -r v <\"$d/vendor\"; p=; read -r p <\"$d/device\"; c=; read -r c <\"$d/class\"; "
          + "echo \"dev ${d##*/} $v $p $c $dr $g\"; done; cd \"$o\" 2>/dev/null || cd /; true");

  static PciDevices read(FactSet facts) {
    return parse(facts.command(FACT.script()).text());
  }

  static PciDevices parse(String output) {
    List<Device> devices = new ArrayList<>();
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f[0].equals("group") && f.length >= 2) {
        groups.put(f[1], List.of(f).subList(2, f.length));
      } else if (f[0].equals("dev") && f.length >= 7) {
        devices.add(new Device(f[1], hex(f[2]), hex(f[3]), hex(f[4]), f[5].equals("-") ? null : f[5],
            f[6].equals("-") ? null : f[6]));
      }
    }
    return new PciDevices(devices, groups);
  }

  /** {@code 0x10DE} → {@code 10de}. */
  static String hex(String s) {
    String t = GpuFacts.lower(s.strip());
    return t.startsWith("0x") ? t.substring(2) : t;
  }

  /** {@code 42:00.0} → {@code 0000:42:00.0}; full addresses lower-cased. */
  static String normalAddress(String address) {
    String a = GpuFacts.lower(address.strip());
    return a.matches("[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]") ? "0000:" + a : a;
  }

  boolean iommuOn() {
    return !groups.isEmpty();
  }

  Optional<Device> at(String address) {
    String a = normalAddress(address);
    return devices.stream().filter(d -> d.address().equals(a)).findFirst();
  }

  /** Members of a group: from /sys/kernel/iommu_groups, else from the devices' links. */
  List<Device> group(String group) {
    if (group == null) {
      return List.of();
    }
    List<String> members = groups.get(group);
    if (members != null && !members.isEmpty()) {
      return devices.stream().filter(d -> members.contains(d.address())).toList();
    }
    return devices.stream().filter(d -> group.equals(d.group())).toList();
  }

  /** Every function of the device's slot. */
  List<Device> slot(Device device) {
    return devices.stream().filter(d -> d.slot().equals(device.slot())).toList();
  }

  /** A short listing for messages, like {@code lspci -nn}: "0000:42:00.0 10de:1b80 [0300]". */
  String summary(int max) {
    List<String> parts = devices.stream().limit(max)
        .map(d -> d.address() + " " + d.id() + " [" + d.pciClass().substring(0, Math.min(4, d.pciClass().length())) + "]").toList();
    String more = devices.size() > max ? ", … (" + devices.size() + " devices)" : "";
    return devices.isEmpty() ? "no PCI devices at all" : String.join(", ", parts) + more;
  }
}

package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.modules.FileChange;
import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleSpec;
import dev.plumb.modules.Param;
import dev.plumb.modules.Params;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Problems;
import dev.plumb.text.Shell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code pci_passthrough}: a GPU, every function of its slot and every device of its IOMMU group
 * (bridges aside) bound to vfio-pci at boot, through a modprobe.d file (ids and softdeps) and a
 * modules-load.d file.
 *
 * <p>One class over 250 lines because the devices it picks (the slot's functions, the IOMMU group,
 * an identical card kept on the host) decide every file it writes (ids or driver_override,
 * softdeps, or vfio-pci.ids= on the command line where vfio-pci is built in): the refusals and the
 * writing read one view of the host's PCI tree.
 */
public final class PciPassthrough implements Module {
  static final String DEFAULT_FILE = "/etc/modprobe.d/vfio.conf";
  static final String DEFAULT_LOAD_FILE = "/etc/modules-load.d/vfio.conf";
  static final String UDEV_RULE = "/etc/udev/rules.d/90-plumb-remove-audio.rules";

  private static final ModuleSpec SPEC = ModuleSpec.of("pci_passthrough",
      "A GPU (all functions and its IOMMU group) bound to vfio-pci at boot", "vendor",
      Param.required("vendor", Param.Type.STRING, "PCI vendor id, e.g. 10de (NVIDIA)"),
      Param.optional("device", Param.Type.STRING, null, "PCI device id of the GPU, e.g. 1b80; without it every display device of the vendor"),
      Param.optional("address", Param.Type.STRING, null, "the GPU's PCI address, e.g. 0000:42:00.0, to pick one card"),
      Param.optional("remove", Param.Type.STRING, null,
          "audio: remove the GPU's audio function (sysfs remove now, a udev rule at boot) instead of passing it through"),
      Param.optional("file", Param.Type.STRING, DEFAULT_FILE, "the modprobe.d file plumb writes (whole content)"),
      Param.optional("modules_load_file", Param.Type.STRING, DEFAULT_LOAD_FILE, "the modules-load.d file plumb writes"));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public void validate(Params params, Problems problems) {
    if (!GpuFacts.lower(params.string("vendor")).matches("(0x)?[0-9a-f]{4}")) {
      problems.error(params.mark("vendor"), "vendor '" + params.string("vendor") + "' is not a 4-digit hex PCI id", "vendor: 10de");
    }
    params.optional("device").filter(d -> !GpuFacts.lower(d).matches("(0x)?[0-9a-f]{4}")).ifPresent(d ->
        problems.error(params.mark("device"), "device '" + d + "' is not a 4-digit hex PCI id", "device: 1b80"));
    params.optional("address").filter(a -> !PciDevices.normalAddress(a).matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]"))
        .ifPresent(a -> problems.error(params.mark("address"), "address '" + a + "' is not a PCI address", "address: 0000:42:00.0"));
    params.optional("remove").filter(r -> !r.equals("audio")).ifPresent(r ->
        problems.error(params.mark("remove"), "remove can only be audio, not '" + r + "'", "remove: audio"));
    if (!params.string("file").startsWith("/etc/modprobe.d/") || !params.string("file").endsWith(".conf")) {
      problems.error(params.mark("file"), "file must be /etc/modprobe.d/<name>.conf", "file: " + DEFAULT_FILE);
    }
    if (!params.string("modules_load_file").startsWith("/etc/modules-load.d/") || !params.string("modules_load_file").endsWith(".conf")) {
      problems.error(params.mark("modules_load_file"), "modules_load_file must be /etc/modules-load.d/<name>.conf",
          "modules_load_file: " + DEFAULT_LOAD_FILE);
    }
  }

  @Override
  public List<Fact> facts(Params params) {
    List<Fact> facts = new ArrayList<>(List.of(PciDevices.FACT, GpuFacts.LOADED_MODULES, NextKernel.FACT.fact(),
        Fact.file(params.string("file")), Fact.file(params.string("modules_load_file"))));
    facts.addAll(KernelCmdline.FACTS);
    if (removeAudio(params)) {
      facts.add(Fact.file(UDEV_RULE));
    }
    return facts;
  }

  @Override
  public Set<String> writes(Params params) {
    Set<String> out = new TreeSet<>(owns(params));
    out.addAll(KernelCmdline.WRITES); // vfio-pci.ids= when vfio-pci is built in: tokens, not whole files
    return out;
  }

  @Override
  public Set<String> owns(Params params) {
    return removeAudio(params)
        ? Set.of(params.string("file"), params.string("modules_load_file"), UDEV_RULE)
        : Set.of(params.string("file"), params.string("modules_load_file"));
  }

  static boolean removeAudio(Params params) {
    return params.optional("remove").filter("audio"::equals).isPresent();
  }

  static String vendor(Params p) {
    return PciDevices.hex(p.string("vendor"));
  }

  static Optional<String> device(Params p) {
    return p.optional("device").map(PciDevices::hex);
  }

  static String wanted(Params p) {
    return vendor(p) + device(p).map(d -> ":" + d).orElse("") + p.optional("address").map(a -> " at " + PciDevices.normalAddress(a)).orElse("");
  }

  /** The GPUs the parameters pick. */
  static List<PciDevices.Device> selected(Params p, PciDevices pci) {
    if (p.has("address")) {
      return pci.at(p.string("address")).stream().toList();
    }
    return pci.devices().stream()
        .filter(d -> d.vendor().equals(vendor(p)))
        .filter(d -> device(p).map(id -> d.device().equals(id)).orElse(d.isDisplay()))
        .toList();
  }

  /**
   * Per GPU whose IOMMU group holds a device outside the selected GPUs' slots (bridges aside), a
   * line listing the whole group: a slot without ACS groups the GPU with the host's NIC or disk
   * controller.
   */
  static List<String> sharedWithTheHost(List<PciDevices.Device> gpus, PciDevices pci) {
    Set<String> slots = new TreeSet<>();
    gpus.forEach(g -> slots.add(g.slot()));
    List<String> out = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (PciDevices.Device gpu : gpus) {
      List<PciDevices.Device> group = pci.group(gpu.group());
      boolean foreign = group.stream().anyMatch(d -> !d.isBridge() && !slots.contains(d.slot()));
      if (foreign && seen.add(gpu.group())) {
        out.add("IOMMU group " + gpu.group() + " of " + gpu.address() + " also holds devices outside the GPU's slot; the group: "
            + String.join(", ", group.stream().map(d -> d.address() + " " + d.id() + " [" + d.pciClass().substring(0, Math.min(4, d.pciClass().length()))
                + "]" + (d.driver() == null ? "" : " (" + d.driver() + ")")).toList()));
      }
    }
    return out;
  }

  /** The GPUs, the functions of their slots and their IOMMU groups (bridges aside), by address. */
  static List<PciDevices.Device> passedThrough(List<PciDevices.Device> gpus, PciDevices pci, boolean removeAudio) {
    Map<String, PciDevices.Device> out = new java.util.TreeMap<>();
    for (PciDevices.Device gpu : gpus) {
      for (PciDevices.Device d : pci.slot(gpu)) {
        out.put(d.address(), d);
      }
      for (PciDevices.Device d : pci.group(gpu.group())) {
        out.put(d.address(), d);
      }
    }
    out.values().removeIf(d -> d.isBridge() || (removeAudio && d.isAudio()));
    return new ArrayList<>(out.values());
  }

  /**
   * The host drivers that would take this function at boot before vfio-pci, by its class (and
   * vendor): each gets a softdep, so that vfio-pci loads first. Derived from the functions found:
   * Turing and later NVIDIA cards add a USB xHCI controller (0c03, xhci_pci) and a USB Type-C UCSI
   * controller (0c80, i2c_nvidia_gpu, with ucsi_ccg on top of it).
   */
  static List<String> hostDrivers(PciDevices.Device d) {
    String c = d.pciClass();
    if (d.isDisplay()) {
      return switch (d.vendor()) {
        case "10de" -> List.of("nouveau", "nvidia");
        case "1002" -> List.of("amdgpu", "radeon");
        case "8086" -> List.of("i915");
        default -> List.of();
      };
    }
    if (d.isAudio()) {
      return List.of("snd_hda_intel");
    }
    if (c.startsWith("0c0330")) {
      return List.of("xhci_pci");
    }
    if (c.startsWith("0c0320")) {
      return List.of("ehci_pci");
    }
    if (c.startsWith("0c0310")) {
      return List.of("ohci_pci");
    }
    if (c.startsWith("0c80") && d.vendor().equals("10de")) {
      return List.of("i2c_nvidia_gpu", "ucsi_ccg");
    }
    return List.of();
  }

  /**
   * With {@code address:} given, the devices outside the passed-through ones (bridges aside) that
   * share an id with them: an identical card kept on the host, which {@code ids=} would take too.
   */
  static List<PciDevices.Device> keptOnTheHost(Params p, List<PciDevices.Device> passed, PciDevices pci) {
    if (!p.has("address")) {
      return List.of();
    }
    Set<String> ids = new TreeSet<>();
    Set<String> addresses = new TreeSet<>();
    passed.forEach(d -> {
      ids.add(d.id());
      addresses.add(d.address());
    });
    return pci.devices().stream().filter(d -> !d.isBridge() && !addresses.contains(d.address()) && ids.contains(d.id())).toList();
  }

  /**
   * The modprobe.d content when an identical card stays on the host: vfio-pci takes these addresses
   * only, by driver_override set when vfio-pci is loaded (the softdeps load it before the host
   * drivers), never by ids= (which matches vendor:device on the whole host).
   */
  static String modprobeConfByAddress(List<PciDevices.Device> devices) {
    StringBuilder s = new StringBuilder(GpuModules.MANAGED_HEADER + " (pci_passthrough); edits here are overwritten\n");
    s.append("# an identical card stays on the host: vfio-pci takes these addresses by driver_override, not by vendor:device\n");
    s.append("install vfio-pci /bin/sh -c '");
    for (PciDevices.Device d : devices) {
      s.append("echo vfio-pci > /sys/bus/pci/devices/").append(d.address()).append("/driver_override; ");
    }
    s.append("exec modprobe -i vfio-pci $CMDLINE_OPTS'\n");
    Set<String> drivers = new TreeSet<>();
    devices.forEach(d -> drivers.addAll(hostDrivers(d)));
    drivers.forEach(driver -> s.append("softdep ").append(driver).append(" pre: vfio-pci\n"));
    return s.toString();
  }

  /** The modprobe.d content: vfio-pci ids (sorted, unique) and softdeps so vfio-pci binds first. */
  static String modprobeConf(List<PciDevices.Device> devices) {
    return modprobeConf(devices, false);
  }

  /** vfio-pci ids of the devices, sorted and unique: {@code 10de:10f0,10de:1b80}. */
  static String ids(List<PciDevices.Device> devices) {
    Set<String> ids = new TreeSet<>();
    devices.forEach(d -> ids.add(d.id()));
    return String.join(",", ids);
  }

  /**
   * With vfio-pci built in (builtinVfio), modprobe never reads its options: the ids go on the
   * kernel command line instead and this file keeps only the softdeps.
   */
  static String modprobeConf(List<PciDevices.Device> devices, boolean builtinVfio) {
    StringBuilder s = new StringBuilder(GpuModules.MANAGED_HEADER + " (pci_passthrough); edits here are overwritten\n");
    if (builtinVfio) {
      s.append("# vfio-pci is built into the kernel: its ids are vfio-pci.ids= on the kernel command line\n");
    } else {
      s.append("options vfio-pci ids=").append(ids(devices)).append('\n');
    }
    Set<String> drivers = new TreeSet<>();
    devices.forEach(d -> drivers.addAll(hostDrivers(d)));
    drivers.forEach(driver -> s.append("softdep ").append(driver).append(" pre: vfio-pci\n"));
    return s.toString();
  }

  static final String MODULES_LOAD = GpuModules.MANAGED_HEADER + " (pci_passthrough)\nvfio\nvfio_iommu_type1\nvfio_pci\n";

  static String udevRule(String vendor) {
    return GpuModules.MANAGED_HEADER + " (pci_passthrough remove: audio): the GPU's audio function never appears\n"
        + "ACTION==\"add\", SUBSYSTEM==\"pci\", ATTR{vendor}==\"0x" + vendor + "\", ATTR{class}==\"0x0403*\", ATTR{remove}=\"1\"\n";
  }

  /** Why the declared device does not match the GPU at the declared address, if it does not. */
  static Optional<String> addressMismatch(Params p, PciDevices pci) {
    if (!p.has("address")) {
      return Optional.empty();
    }
    Optional<PciDevices.Device> at = pci.at(p.string("address"));
    if (at.isEmpty()) {
      return Optional.empty();
    }
    PciDevices.Device d = at.get();
    boolean ok = d.vendor().equals(vendor(p)) && device(p).map(d.device()::equals).orElse(true);
    return ok ? Optional.empty() : Optional.of("pci_passthrough declares " + vendor(p) + device(p).map(x -> ":" + x).orElse("")
        + " but the device at " + d.address() + " is " + d.id());
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    PciDevices pci = PciDevices.read(facts);
    boolean removeAudio = removeAudio(params);
    List<PciDevices.Device> gpus = selected(params, pci);
    if (gpus.isEmpty()) {
      return Change.of(Action.UPDATE, "no matching device", "bound to vfio-pci: " + wanted(params), List.of())
          .withTakesEffect(TakesEffect.AFTER_REBOOT)
          .withBlocker("no PCI device " + wanted(params) + " on this host; sysfs (like lspci -nn) shows " + pci.summary(12));
    }
    Optional<String> mismatch = addressMismatch(params, pci);
    if (mismatch.isPresent()) {
      return Change.of(Action.UPDATE, "mismatch", wanted(params), List.of()).withBlocker(mismatch.get() + "; fix device or address");
    }
    List<String> shared = sharedWithTheHost(gpus, pci);
    if (!shared.isEmpty()) {
      return Change.of(Action.UPDATE, "IOMMU group shared with host devices", "bound to vfio-pci: " + wanted(params), List.of())
          .withTakesEffect(TakesEffect.AFTER_REBOOT)
          .withBlocker(String.join("; ", shared) + ": a group passes through whole, so vfio-pci would take "
              + (shared.size() == 1 ? "that device" : "those devices") + " from the host (its NIC or disk controller). "
              + "Put the card in a slot whose IOMMU group holds only its own functions (a root port with ACS); "
              + "nothing is written for it until then");
    }
    List<PciDevices.Device> devices = passedThrough(gpus, pci, removeAudio);
    List<Change> parts = new ArrayList<>();
    // Ubuntu 20.04 and later build vfio-pci in (CONFIG_VFIO_PCI=y): `options vfio-pci ids=` does
    // nothing there, only vfio-pci.ids= on the command line of the kernel that boots next binds.
    boolean builtinVfio = GpuFacts.builtin(facts).next().contains(GpuFacts.Builtin.VFIO_PCI);
    List<PciDevices.Device> twins = keptOnTheHost(params, devices, pci);
    if (!twins.isEmpty() && builtinVfio) {
      return Change.of(Action.UPDATE, "identical card kept on the host", wanted(params), List.of())
          .withTakesEffect(TakesEffect.AFTER_REBOOT)
          .withBlocker("vfio-pci is built into the kernel and " + String.join(", ", twins.stream().map(d -> d.address() + " " + d.id()).toList())
              + " has the same ids but stays on the host: vfio-pci.ids= would take both cards, and a built-in vfio-pci binds before "
              + "any modprobe hook could set driver_override; set driver_override from an initramfs script (plumb does not yet)");
    }
    String conf = twins.isEmpty() ? modprobeConf(devices, builtinVfio) : modprobeConfByAddress(devices);
    FileChange.converge(facts, params.string("file"), conf).ifPresent(parts::add);
    if (builtinVfio && twins.isEmpty()) {
      Change cmdline = KernelCmdline.converge(List.of("vfio-pci.ids=" + ids(devices)), List.of(), facts);
      if (cmdline.changes()) {
        parts.add(cmdline);
      }
    }
    FileChange.converge(facts, params.string("modules_load_file"), MODULES_LOAD).ifPresent(parts::add);
    List<String> notes = new ArrayList<>();
    List<Command> runtime = new ArrayList<>();
    if (removeAudio) {
      FileChange.converge(facts, UDEV_RULE, udevRule(vendor(params))).ifPresent(parts::add);
      for (PciDevices.PciGpuAudio a : audioToRemove(gpus, pci)) {
        runtime.add(Command.shell("echo 1 > " + Shell.quote("/sys/bus/pci/devices/" + a.address() + "/remove")));
        notes.add(a.address() + " (audio) is removed now through sysfs; that alone lasts only until the next boot or PCI rescan, "
            + "so the udev rule " + UDEV_RULE + " removes it at every boot");
      }
    }
    if (!pci.iommuOn()) {
      notes.add("IOMMU is off (/sys/kernel/iommu_groups is empty): enable it first with kernel_cmdline present: [intel_iommu=on] "
          + "on Intel (AMD: on by default; check the BIOS) and reboot; without it vfio-pci cannot take the GPU");
    }
    boolean pending = false;
    for (PciDevices.Device d : devices) {
      if (!"vfio-pci".equals(d.driver())) {
        pending = true;
        notes.add(d.address() + (d.driver() == null ? " has no driver" : " bound to " + d.driver())
            + ", will bind to vfio-pci after reboot");
      }
    }
    String after = "vfio-pci: " + String.join(" ", devices.stream().map(d -> d.address() + " " + d.id()).toList());
    Change change;
    if (parts.isEmpty() && runtime.isEmpty()) {
      change = Change.none(after);
    } else {
      change = Change.of(Action.UPDATE, "files differ", after, List.of()).withTakesEffect(TakesEffect.AFTER_REBOOT);
      for (Change p : parts) {
        change = change.plus(p);
      }
      List<Command> cmds = new ArrayList<>(change.commands());
      cmds.addAll(runtime);
      change = change.withCommands(cmds);
    }
    for (String n : notes) {
      change = change.withNote(n);
    }
    return change.withRebootPending(pending);
  }

  static List<PciDevices.PciGpuAudio> audioToRemove(List<PciDevices.Device> gpus, PciDevices pci) {
    Map<String, PciDevices.PciGpuAudio> out = new LinkedHashMap<>();
    for (PciDevices.Device gpu : gpus) {
      for (PciDevices.Device d : pci.slot(gpu)) {
        if (d.isAudio()) {
          out.put(d.address(), new PciDevices.PciGpuAudio(d.address()));
        }
      }
    }
    return new ArrayList<>(out.values());
  }
}

package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.HostLint;
import dev.plumb.modules.Params;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Problem;
import dev.plumb.source.Problems;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PciPassthroughTest {
  static final PciPassthrough M = new PciPassthrough();

  static final String LAB = """
      group 0 0000:00:00.0
      group 12 0000:42:00.0 0000:42:00.1
      group 13 0000:00:1f.3
      dev 0000:00:00.0 0x8086 0x1237 0x060000 - 0
      dev 0000:00:1f.3 0x8086 0xa170 0x040300 snd_hda_intel 13
      dev 0000:42:00.0 0x10de 0x1b80 0x030000 nouveau 12
      dev 0000:42:00.1 0x10de 0x10f0 0x040300 snd_hda_intel 12
      """;

  static final String BOUND = LAB.replace("0x030000 nouveau", "0x030000 vfio-pci").replace("0x10f0 0x040300 snd_hda_intel", "0x10f0 0x040300 vfio-pci");

  static final String CONF = """
      # managed by plumb (pci_passthrough); edits here are overwritten
      options vfio-pci ids=10de:10f0,10de:1b80
      softdep nouveau pre: vfio-pci
      softdep nvidia pre: vfio-pci
      softdep snd_hda_intel pre: vfio-pci
      """;

  static Fixtures lab(Map<String, ?> params, String sysfs) {
    return Fixtures.of(M, params).cmd(PciDevices.FACT, sysfs).loaded("nouveau", "snd_hda_intel");
  }

  static final Map<String, Object> GTX1080 = Map.of("vendor", "10de", "device", "1b80");

  @Test
  void parser_readsDevicesAndGroups() {
    PciDevices pci = PciDevices.parse(LAB);
    assertThat(pci.devices()).hasSize(4);
    PciDevices.Device gpu = pci.at("42:00.0").orElseThrow();
    assertThat(gpu.id()).isEqualTo("10de:1b80");
    assertThat(gpu.pciClass()).isEqualTo("030000");
    assertThat(gpu.driver()).isEqualTo("nouveau");
    assertThat(pci.group("12")).extracting(PciDevices.Device::address).containsExactly("0000:42:00.0", "0000:42:00.1");
    assertThat(pci.at("0000:00:00.0").orElseThrow().driver()).isNull();
    assertThat(pci.iommuOn()).isTrue();
    assertThat(PciDevices.FACT.script()).contains("/sys/bus/pci/devices/*").contains("/sys/kernel/iommu_groups/*");
  }

  @Test
  void fresh_writesIdsOfAllFunctionsAndModulesLoad() {
    Change c = lab(GTX1080, LAB).diff();
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(c.takesEffect()).isEqualTo(TakesEffect.AFTER_REBOOT);
    assertThat(((FactResult.Content) c.writes().get(PciPassthrough.DEFAULT_FILE)).text()).isEqualTo(CONF);
    assertThat(((FactResult.Content) c.writes().get(PciPassthrough.DEFAULT_LOAD_FILE)).text())
        .isEqualTo("# managed by plumb (pci_passthrough)\nvfio\nvfio_iommu_type1\nvfio_pci\n");
    assertThat(Fixtures.shown(c)).hasSize(2).allMatch(s -> s.startsWith("plumb-write "));
    assertThat(c.notes()).contains(
        "0000:42:00.0 bound to nouveau, will bind to vfio-pci after reboot",
        "0000:42:00.1 bound to snd_hda_intel, will bind to vfio-pci after reboot");
    assertThat(c.rebootPending()).isTrue();
  }

  @Test
  void vendorOnly_selectsDisplayDevices_andTheirSiblings() {
    Change c = lab(Map.of("vendor", "10de"), LAB).diff();
    assertThat(((FactResult.Content) c.writes().get(PciPassthrough.DEFAULT_FILE)).text()).isEqualTo(CONF);
  }

  @Test
  void converged_andBound_noChange() {
    Fixtures f = lab(GTX1080, BOUND).file(PciPassthrough.DEFAULT_FILE, CONF)
        .file(PciPassthrough.DEFAULT_LOAD_FILE, PciPassthrough.MODULES_LOAD);
    Change c = f.diff();
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.notes()).isEmpty();
    assertThat(c.rebootPending()).isFalse();
  }

  @Test
  void converged_notRebooted_noneWithRebootPending() {
    Change c = lab(GTX1080, LAB).file(PciPassthrough.DEFAULT_FILE, CONF)
        .file(PciPassthrough.DEFAULT_LOAD_FILE, PciPassthrough.MODULES_LOAD).diff();
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.rebootPending()).isTrue();
    assertThat(c.notes()).hasSize(2);
  }

  @Test
  void afterState_isNone() {
    Fixtures f = lab(GTX1080, LAB).file(PciPassthrough.DEFAULT_FILE, "options vfio-pci ids=10de:1b80\n");
    Change c = f.diff();
    assertThat(f.diffAfter(c).action()).isEqualTo(Action.NONE);
  }

  @Test
  void groupWithADeviceOutsideTheSlot_blocks_bridgesAreNoReason() {
    // Issue 15: the host's USB controller in the GPU's group went to vfio-pci (its id was put in ids=).
    String sysfs = LAB.replace("group 12 0000:42:00.0 0000:42:00.1", "group 12 0000:40:01.0 0000:42:00.0 0000:42:00.1 0000:43:00.0")
        + "dev 0000:40:01.0 0x1022 0x1453 0x060400 pcieport 12\ndev 0000:43:00.0 0x1b21 0x2142 0x0c0330 xhci_hcd 12\n";
    Change c = lab(GTX1080, sysfs).diff();
    assertThat(c.writes()).isEmpty();
    assertThat(c.blockers()).singleElement().asString().contains("0000:43:00.0 1b21:2142 [0c03] (xhci_hcd)");
    String bridgeOnly = LAB.replace("group 12 0000:42:00.0 0000:42:00.1", "group 12 0000:40:01.0 0000:42:00.0 0000:42:00.1")
        + "dev 0000:40:01.0 0x1022 0x1453 0x060400 pcieport 12\n";
    Change ok = lab(GTX1080, bridgeOnly).diff();
    assertThat(ok.blockers()).isEmpty();
    assertThat(((FactResult.Content) ok.writes().get(PciPassthrough.DEFAULT_FILE)).text()).isEqualTo(CONF);
  }

  @Test
  void noSuchDevice_blocks() {
    Change c = lab(Map.of("vendor", "10de", "device", "1b06"), LAB).diff();
    assertThat(c.blockers()).singleElement().asString()
        .startsWith("no PCI device 10de:1b06 on this host; sysfs (like lspci -nn) shows 0000:00:00.0 8086:1237 [0600], ");
  }

  @Test
  void iommuOff_note() {
    String noGroups = LAB.lines().filter(l -> !l.startsWith("group")).map(l -> l.replaceAll(" \\d+$", " -") + "\n")
        .reduce("", String::concat);
    Change c = lab(GTX1080, noGroups).diff();
    assertThat(c.notes()).anyMatch(n -> n.startsWith("IOMMU is off (/sys/kernel/iommu_groups is empty)"));
    assertThat(((FactResult.Content) c.writes().get(PciPassthrough.DEFAULT_FILE)).text()).isEqualTo(CONF);
  }

  @Test
  void removeAudio_runtimeStepAndUdevRule_idsWithoutAudio() {
    Fixtures f = lab(Map.of("vendor", "10de", "device", "1b80", "remove", "audio"), LAB);
    Change c = f.diff();
    assertThat(((FactResult.Content) c.writes().get(PciPassthrough.DEFAULT_FILE)).text())
        .contains("ids=10de:1b80\n").doesNotContain("snd_hda_intel");
    assertThat(((FactResult.Content) c.writes().get(PciPassthrough.UDEV_RULE)).text())
        .contains("ATTR{vendor}==\"0x10de\", ATTR{class}==\"0x0403*\", ATTR{remove}=\"1\"");
    assertThat(Fixtures.shown(c)).last().isEqualTo("echo 1 > /sys/bus/pci/devices/0000:42:00.1/remove");
    assertThat(c.notes()).anyMatch(n -> n.contains("only until the next boot or PCI rescan"));
    // After removal the function is gone from sysfs: nothing left to do, no flapping of the ids.
    String removed = LAB.replace("0000:42:00.0 0000:42:00.1", "0000:42:00.0").lines()
        .filter(l -> !l.contains("0000:42:00.1")).map(l -> l + "\n").reduce("", String::concat);
    FactSet after = f.after(c);
    Map<Fact, FactResult> read = new java.util.LinkedHashMap<>(after.asRead());
    read.put(PciDevices.FACT, FactResult.output(0, removed));
    FactSet again = FactSet.of(read);
    for (var w : c.writes().entrySet()) {
      again = again.withFile(w.getKey(), w.getValue());
    }
    assertThat(M.diff(Fixtures.params(M, Map.of("vendor", "10de", "device", "1b80", "remove", "audio")), again).action())
        .isEqualTo(Action.NONE);
  }

  @Test
  void validate() {
    assertThat(Fixtures.validate(M, Map.of("vendor", "nvidia")).all()).extracting(Problem::message)
        .containsExactly("vendor 'nvidia' is not a 4-digit hex PCI id");
    assertThat(Fixtures.validate(M, Map.of("vendor", "10de", "remove", "usb")).hasErrors()).isTrue();
    assertThat(Fixtures.validate(M, Map.of("vendor", "10de", "address", "42:00.0")).all()).isEmpty();
  }

  // Lints.

  static HostLint.Declared declared(dev.plumb.modules.Module m, Map<String, ?> p) {
    return new HostLint.Declared(m.type() + "[x]", m, Params.of(p, m.params()));
  }

  @Test
  void lint_driverAndPassthroughOfNvidia_error() {
    Problems p = new Problems();
    new GpuLints.DriverVersusPassthrough().check(List.of(
        declared(new NvidiaDriver(), Map.of("version", "367.35")), declared(M, GTX1080)), p);
    assertThat(p.all()).singleElement().satisfies(x -> {
      assertThat(x.isError()).isTrue();
      assertThat(x.message()).startsWith("nvidia_driver (test) and pci_passthrough of NVIDIA devices (test) on one host");
    });
    Problems none = new Problems();
    new GpuLints.DriverVersusPassthrough().check(List.of(declared(M, GTX1080)), none);
    assertThat(none.all()).isEmpty();
  }

  @Test
  void lint_addressMismatch_error() {
    HostLint lint = new GpuLints.PassthroughAddress();
    List<HostLint.Declared> rs = List.of(declared(M, Map.of("vendor", "10de", "device", "1b06", "address", "0000:42:00.0")));
    assertThat(lint.facts(rs)).containsExactly(PciDevices.FACT);
    Problems p = new Problems();
    lint.checkWithFacts(rs, FactSet.of(Map.of(PciDevices.FACT, FactResult.output(0, LAB))), p);
    assertThat(p.all()).extracting(Problem::message)
        .containsExactly("pci_passthrough declares 10de:1b06 but the device at 0000:42:00.0 is 10de:1b80");
  }

  @Test
  void lint_iommuSwitchOfTheOtherVendor() {
    HostLint lint = new GpuLints.IommuVendor();
    KernelCmdline k = new KernelCmdline();
    List<HostLint.Declared> rs = List.of(declared(k, Map.of("present", List.of("intel_iommu=on", "iommu=pt"))));
    Problems amd = new Problems();
    lint.checkWithFacts(rs, FactSet.of(Map.of(GpuLints.IommuVendor.CPU_VENDOR, FactResult.output(0, "vendor_id\t: AuthenticAMD\n"))), amd);
    assertThat(amd.all()).extracting(Problem::message).containsExactly(
        "this host's CPU is AuthenticAMD; intel_iommu has no effect, AMD's IOMMU is on by default (use iommu=pt)");
    Problems intel = new Problems();
    lint.checkWithFacts(List.of(declared(k, Map.of("present", List.of("amd_iommu=on")))),
        FactSet.of(Map.of(GpuLints.IommuVendor.CPU_VENDOR, FactResult.output(0, "vendor_id\t: GenuineIntel\n"))), intel);
    assertThat(intel.hasErrors()).isTrue();
    assertThat(intel.all().get(0).message()).isEqualTo("this host's CPU is GenuineIntel; amd_iommu has no effect there, so the IOMMU stays off");
  }
}

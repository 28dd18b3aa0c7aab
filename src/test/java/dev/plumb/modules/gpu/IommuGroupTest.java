package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.modules.Change;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a slot without ACS puts the GPU in one IOMMU group with the host's NIC; passing the
 * group through took the NIC from the host (its id went into vfio-pci's ids=). Now a blocker that
 * lists the group, and nothing written.
 */
class IommuGroupTest {
  static final String NO_ACS = """
      group 0 0000:00:00.0
      group 13 0000:00:1c.0 0000:00:1f.6 0000:42:00.0 0000:42:00.1
      dev 0000:00:00.0 0x8086 0x6f00 0x060000 - 0
      dev 0000:00:1c.0 0x8086 0xa110 0x060400 pcieport 13
      dev 0000:00:1f.6 0x8086 0x15b8 0x020000 e1000e 13
      dev 0000:42:00.0 0x10de 0x1b80 0x030000 nouveau 13
      dev 0000:42:00.1 0x10de 0x10f0 0x040300 snd_hda_intel 13
      """;

  @Test
  void groupWithTheHostsNic_isABlockerListingTheGroup_andWritesNothing() {
    Change c = PciPassthroughTest.lab(PciPassthroughTest.GTX1080, NO_ACS).diff();
    assertThat(c.blockers()).singleElement().asString()
        .contains("IOMMU group 13 of 0000:42:00.0 also holds devices outside the GPU's slot")
        .contains("0000:00:1f.6 8086:15b8 [0200] (e1000e)", "0000:42:00.1 10de:10f0 [0403]")
        .contains("a root port with ACS");
    assertThat(c.commands()).isEmpty();
    assertThat(c.writes()).isEmpty();
  }

  @Test
  void groupOfTheGpusOwnSlotAndABridge_isFine() {
    String own = NO_ACS.replace(" 0000:00:1f.6", "").replace("0x020000 e1000e 13", "0x020000 e1000e 7");
    Change c = PciPassthroughTest.lab(PciPassthroughTest.GTX1080, own).diff();
    assertThat(c.blockers()).isEmpty();
    assertThat(c.writes()).containsKey(PciPassthrough.DEFAULT_FILE);
  }

  static final String TWO_CARDS = """
      group 0 0000:00:00.0
      group 13 0000:42:00.0 0000:42:00.1
      group 14 0000:43:00.0 0000:43:00.1
      dev 0000:00:00.0 0x8086 0x6f00 0x060000 - 0
      dev 0000:42:00.0 0x10de 0x1b80 0x030000 nouveau 13
      dev 0000:42:00.1 0x10de 0x10f0 0x040300 snd_hda_intel 13
      dev 0000:43:00.0 0x10de 0x1b80 0x030000 nouveau 14
      dev 0000:43:00.1 0x10de 0x10f0 0x040300 snd_hda_intel 14
      """;

  @Test
  void twoIdenticalCards_addressGiven_driverOverrideForThatCard_neverIds() {
    java.util.Map<String, Object> p = java.util.Map.of("vendor", "10de", "device", "1b80", "address", "0000:43:00.0");
    Change c = PciPassthroughTest.lab(p, TWO_CARDS).diff();
    String conf = ((dev.plumb.facts.FactResult.Content) c.writes().get(PciPassthrough.DEFAULT_FILE)).text();
    assertThat(conf).doesNotContain("options vfio-pci").doesNotContain("0000:42:00")
        .contains("install vfio-pci /bin/sh -c 'echo vfio-pci > /sys/bus/pci/devices/0000:43:00.0/driver_override; "
            + "echo vfio-pci > /sys/bus/pci/devices/0000:43:00.1/driver_override; exec modprobe -i vfio-pci $CMDLINE_OPTS'")
        .contains("softdep nouveau pre: vfio-pci");
    assertThat(c.blockers()).isEmpty();
    // Without address both cards go: ids= is right then.
    Change both = PciPassthroughTest.lab(PciPassthroughTest.GTX1080, TWO_CARDS).diff();
    assertThat(((dev.plumb.facts.FactResult.Content) both.writes().get(PciPassthrough.DEFAULT_FILE)).text())
        .contains("options vfio-pci ids=10de:10f0,10de:1b80");
  }
}

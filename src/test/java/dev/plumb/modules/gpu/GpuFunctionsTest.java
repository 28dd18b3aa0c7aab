package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.FactResult;
import dev.plumb.modules.Change;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: Turing and later cards carry a USB xHCI (0c03) and a USB Type-C UCSI (0c80) function
 * besides VGA and audio. The host's xhci_pci and i2c_nvidia_gpu took them at boot before vfio-pci
 * (softdeps covered only nouveau, nvidia and snd_hda_intel): softdeps follow the functions found.
 */
class GpuFunctionsTest {
  static final String TURING = """
      group 0 0000:00:00.0
      group 13 0000:42:00.0 0000:42:00.1 0000:42:00.2 0000:42:00.3
      dev 0000:00:00.0 0x8086 0x6f00 0x060000 - 0
      dev 0000:42:00.0 0x10de 0x1e87 0x030000 nouveau 13
      dev 0000:42:00.1 0x10de 0x10f8 0x040300 snd_hda_intel 13
      dev 0000:42:00.2 0x10de 0x1ad8 0x0c0330 xhci_hcd 13
      dev 0000:42:00.3 0x10de 0x1ad9 0x0c8000 nvidia-gpu 13
      """;

  @Test
  void turing_everyFunctionsDriverGetsASoftdep_andEveryIdIsPassedThrough() {
    Change c = PciPassthroughTest.lab(Map.of("vendor", "10de", "device", "1e87"), TURING).diff();
    assertThat(((FactResult.Content) c.writes().get(PciPassthrough.DEFAULT_FILE)).text()).isEqualTo("""
        # managed by plumb (pci_passthrough); edits here are overwritten
        options vfio-pci ids=10de:10f8,10de:1ad8,10de:1ad9,10de:1e87
        softdep i2c_nvidia_gpu pre: vfio-pci
        softdep nouveau pre: vfio-pci
        softdep nvidia pre: vfio-pci
        softdep snd_hda_intel pre: vfio-pci
        softdep ucsi_ccg pre: vfio-pci
        softdep xhci_pci pre: vfio-pci
        """);
  }

  @Test
  void softdeps_comeFromTheFunctionsFound_notAFixedList() {
    // A card without audio: no softdep for the host's sound driver.
    String noAudio = PciPassthroughTest.LAB.replace("dev 0000:42:00.1 0x10de 0x10f0 0x040300 snd_hda_intel 12\n", "")
        .replace(" 0000:42:00.1", "");
    Change c = PciPassthroughTest.lab(PciPassthroughTest.GTX1080, noAudio).diff();
    assertThat(((FactResult.Content) c.writes().get(PciPassthrough.DEFAULT_FILE)).text())
        .doesNotContain("snd_hda_intel", "xhci_pci", "i2c_nvidia_gpu").contains("softdep nouveau pre: vfio-pci");
    assertThat(PciPassthrough.hostDrivers(new PciDevices.Device("0000:03:00.0", "1002", "67df", "030000", null, "1")))
        .containsExactly("amdgpu", "radeon");
  }
}

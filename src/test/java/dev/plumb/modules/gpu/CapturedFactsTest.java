package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.FactResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The GPU fact parsers against outputs captured from a lab host (src/test/resources/facts/lab,
 * each the stdout of the fact's snippet as plumb read it): pure, so a captured output is all a
 * parser test needs. Add a host's capture beside them to cover another distribution.
 */
class CapturedFactsTest {

  private static String captured(String name) throws IOException {
    try (InputStream in = CapturedFactsTest.class.getResourceAsStream("/facts/lab/" + name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static FactResult.Output output(String name) throws IOException {
    return FactResult.output(0, captured(name));
  }

  @Test
  void loadedModules_fromTheLab_namesEveryModuleWithUnderscores() throws IOException {
    assertThat(GpuFacts.LOADED.parse(output("loaded-modules.out")))
        .contains("nouveau", "kvm_intel", "e1000e", "snd_hda_intel").doesNotContain("", "snd-hda-intel");
  }

  @Test
  void tools_fromTheLab_areTheCommandsFound() throws IOException {
    assertThat(GpuFacts.TOOLS_DEF.parse(output("tools.out")))
        .contains("update-grub", "update-initramfs", "modprobe").doesNotContain("grubby", "efi");
  }

  @Test
  void pciDevices_fromTheLab_groupsTheGpuWithItsAudioFunction() throws IOException {
    PciDevices pci = PciDevices.parse(captured("pci-devices.out"));
    assertThat(pci.iommuOn()).isTrue();
    assertThat(pci.devices()).hasSize(4);
    PciDevices.Device gpu = pci.at("0000:42:00.0").orElseThrow();
    assertThat(gpu.vendor()).isEqualTo("10de");
    assertThat(gpu.driver()).isEqualTo("nouveau");
    assertThat(pci.group(gpu.group())).extracting(PciDevices.Device::address).containsExactly("0000:42:00.0", "0000:42:00.1");
    assertThat(pci.at("0000:00:00.0").orElseThrow().driver()).as("'-' is no driver").isNull();
  }
}

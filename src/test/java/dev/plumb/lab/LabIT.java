package dev.plumb.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabIT {
  @RegisterExtension static final Lab lab = Lab.fresh(2);

  @Test
  @Order(1)
  void up_twoHosts_inventoryKeyAndKnownHosts() throws IOException {
    assertThat(lab.hosts()).containsExactly("lab01", "lab02");
    String net = "127." + System.getenv().getOrDefault("PLUMB_LAB_NET", "0") + ".1.";
    assertThat(lab.address("lab02")).isEqualTo(net + "2");
    assertThat(Files.readString(lab.inventory()))
        .contains("lab01: {ansible_host: " + net + "1}", "lab02: {ansible_host: " + net + "2}");
    assertThat(lab.keyFile()).exists();
    assertThat(Files.readAllLines(lab.knownHosts()))
        .hasSize(2)
        .allMatch(line -> line.matches("\\[" + net.replace(".", "\\.") + "[12]]:2222 ssh-ed25519 \\S+"));
  }

  @Test
  @Order(2)
  void exec_freshHost_simulatedFacts() {
    assertThat(lab.exec("lab01", "cat", "/proc/cmdline"))
        .isEqualTo(
            "BOOT_IMAGE=/vmlinuz-4.4.0-31-generic root=UUID=3f2a8c1e-6d4b-4e8a-9b1c-2d7e5f0a9c31 ro quiet\n");
    assertThat(lab.exec("lab01", "readlink", "/sys/bus/pci/devices/0000:42:00.0/driver"))
        .endsWith("/nouveau\n");
    assertThat(lab.exec("lab01", "uname", "-r")).isEqualTo("4.4.0-31-generic\n");
    assertThat(lab.execCount("lab01")).as("bin/lab exec is not an SSH exec").isZero();
  }

  @Test
  @Order(3)
  void exec_nonZeroExit_throws() {
    assertThatThrownBy(() -> lab.exec("lab01", "modinfo", "-F", "version", "nvidia"))
        .hasMessageContaining("Module nvidia not found");
  }

  @Test
  @Order(4)
  void reset_afterChanges_freshStateAndKnobsApplied() {
    lab.exec("lab01", "sh", "-c", "echo 'GRUB_CMDLINE_LINUX=\"intel_iommu=on\"' >>/etc/default/grub");
    lab.exec("lab01", "update-grub");
    assertThat(lab.calls("lab01", "update-grub")).isEqualTo(1);
    lab.set("lab01", "cpu=amd");

    lab.reset("lab01");

    assertThat(lab.exec("lab01", "cat", "/etc/default/grub")).doesNotContain("intel_iommu");
    assertThat(lab.calls("lab01", "update-grub")).isZero();
    assertThat(lab.exec("lab01", "grep", "-m1", "vendor_id", "/proc/cpuinfo")).contains("AuthenticAMD");
  }

  @Test
  @Order(5)
  void stop_host_refusesConnectionsUntilStart() throws IOException {
    lab.stop("lab02");
    assertThat(accepts("lab02")).isFalse();
    assertThat(accepts("lab01")).isTrue();

    lab.start("lab02");
    assertThat(accepts("lab02")).isTrue();
  }

  private static boolean accepts(String host) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(lab.address(host), Lab.PORT), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}

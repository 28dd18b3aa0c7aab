package dev.plumb.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.source.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: two resources writing one file rewrote it in turn on every run (vfio.conf flipped
 * between kernel_module and pci_passthrough, the initramfs was rebuilt and the host rebooted every
 * apply). A file one resource writes whole has no other writer: a load error naming both.
 */
class OneWriterPerFileTest {
  @TempDir Path dir;

  private String errors(String playbook) throws IOException {
    Files.writeString(dir.resolve("play.yml"), playbook);
    LoadRequest request = new LoadRequest(dir.resolve("play.yml"), Optional.empty(), List.of(), Optional.empty(), Set.of(),
        dev.plumb.cli.Builtins.registry());
    InputException e = Assertions.catchThrowableOfType(InputException.class, () -> Loader.load(request, null));
    return e == null ? "" : e.getMessage().replace(dir + "/", "");
  }

  @Test
  void kernelModuleVfio_andPciPassthrough_areALoadErrorNamingBoth() throws IOException {
    String e = errors("""
        - hosts: localhost
          resources:
            - kernel_module: {name: vfio}
            - pci_passthrough: {vendor: "10de", device: "1b80"}
              name: gpu
        """);
    assertThat(e).contains("play.yml:4:7: error: pci_passthrough[gpu] and kernel_module[vfio] (play.yml:3:7) both write "
        + "/etc/modules-load.d/vfio.conf")
        .contains("keep one writer of /etc/modules-load.d/vfio.conf");
  }

  @Test
  void kernelModuleNvidiaUvm_andNvidiaDriver_areALoadError() throws IOException {
    String e = errors("""
        - hosts: localhost
          resources:
            - nvidia_driver: {version: "367.35", installer: /opt/NVIDIA-Linux-x86_64-367.35.run}
            - kernel_module: {name: nvidia-uvm}
        """);
    assertThat(e).contains("play.yml:4:7: error: kernel_module[nvidia-uvm] and nvidia_driver[367.35] (play.yml:3:7) both write "
        + "/etc/modules-load.d/nvidia-uvm.conf");
  }

  @Test
  void aWholeFile_andALineInIt_areALoadError_butTwoLineEditsAreNot() throws IOException {
    assertThat(errors("""
        - hosts: localhost
          resources:
            - file: {path: /etc/a.conf, content: "x=1\\n"}
            - line: {path: /etc/a.conf, line: "y=2"}
        """)).contains("play.yml:4:7: error: line[y=2] and file[/etc/a.conf] (play.yml:3:7) both write /etc/a.conf");
    assertThat(errors("""
        - hosts: localhost
          resources:
            - line: {path: /etc/a.conf, line: "x=1"}
            - line: {path: /etc/a.conf, line: "y=2"}
            - kernel_module: {name: vfio_pci}
            - pci_passthrough: {vendor: "10de"}
        """)).isEmpty();
  }
}

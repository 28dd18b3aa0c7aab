package dev.plumb.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.FactResult;
import dev.plumb.transport.ExecResult;
import dev.plumb.transport.LocalConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write helper run by /bin/sh, as on a host. A client that dies mid-transfer leaves the remote
 * {@code cat} with a short input and a clean end of file: the helper must see that the temp file
 * is not the planned content and keep the target (a 2.8 MB file once became 65,536 bytes).
 */
class WriteScriptTest {
  @TempDir Path dir;

  private static ExecResult run(Command c, byte[] stdin) throws Exception {
    return new LocalConnection("local").exec(c.line(), stdin, Duration.ofSeconds(30));
  }

  @Test
  void write_inputCutShort_failsWith18_keepsTheTarget_removesTheTempFile() throws Exception {
    Path target = Files.writeString(dir.resolve("grub"), "GRUB_DEFAULT=0\n");
    byte[] planned = new byte[2_800_000];
    Arrays.fill(planned, (byte) 'x');
    Command write = Command.writeFile(target.toString(), planned,
        FactResult.sha256("GRUB_DEFAULT=0\n".getBytes(StandardCharsets.UTF_8)), "0644");

    ExecResult r = run(write, Arrays.copyOf(planned, 65_536));

    assertThat(r.exitStatus()).as(r.stderrText()).isEqualTo(18);
    assertThat(r.stderrText()).contains("received 65536 of 2800000 bytes", "was left as it was");
    assertThat(Files.readString(target)).isEqualTo("GRUB_DEFAULT=0\n");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("grub");
    }
  }

  @Test
  void write_sameSizeOtherBytes_failsWith18() throws Exception {
    Path target = dir.resolve("new.conf");
    Command write = Command.writeFile(target.toString(), "abcd\n", null, null);
    ExecResult r = run(write, "abce\n".getBytes(StandardCharsets.UTF_8));
    assertThat(r.exitStatus()).as(r.stderrText()).isEqualTo(18);
    assertThat(target).doesNotExist();
  }

  @Test
  void write_completeInput_replacesTheTarget() throws Exception {
    Path target = Files.writeString(dir.resolve("conf"), "old\n");
    Command write = Command.writeFile(target.toString(), "new\n",
        FactResult.sha256("old\n".getBytes(StandardCharsets.UTF_8)), "0600");
    ExecResult r = run(write, write.stdin());
    assertThat(r.exitStatus()).as(r.stderrText()).isZero();
    assertThat(Files.readString(target)).isEqualTo("new\n");
    assertThat(Files.getPosixFilePermissions(target)).hasSize(2);
  }

  @Test
  void write_emptyContent_isComplete() throws Exception {
    Path target = dir.resolve("empty");
    Command write = Command.writeFile(target.toString(), "", null, null);
    ExecResult r = run(write, write.stdin());
    assertThat(r.exitStatus()).as(r.stderrText()).isZero();
    assertThat(Files.size(target)).isZero();
  }

  @Test
  void write_atALinkWithoutAMode_takesTheModeOfTheFileItPointsTo_neverTheLinks() throws Exception {
    Path real = Files.writeString(dir.resolve("real.conf"), "old\n");
    Files.setPosixFilePermissions(real, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Path link = Files.createSymbolicLink(dir.resolve("link.conf"), real.getFileName());
    Command write = Command.writeFile(link.toString(), "new\n", FactResult.sha256("old\n".getBytes(StandardCharsets.UTF_8)), null);

    ExecResult r = run(write, write.stdin());

    assertThat(r.exitStatus()).as(r.stderrText()).isZero();
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(link)))
        .as("a link's own mode is 0777").isEqualTo("rw-------");
  }
}

package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.metrics.PromText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --metrics-file}: node_exporter's textfile format, read back with an independent parser. */
class MetricsFileTest {
  @TempDir Path dir;

  private Path playbook() throws Exception {
    Path ok = Files.writeString(dir.resolve("ok.conf"), "a=1\n");
    Path off = Files.writeString(dir.resolve("off.conf"), "b=2\n");
    return Files.writeString(dir.resolve("play.yml"), """
        - hosts: all
          resources:
            - line: {path: %s, regexp: '^a=', line: 'a=1'}
              name: a
            - line: {path: %s, regexp: '^b=', line: 'b=3'}
              name: b
        """.formatted(ok, off));
  }

  /** localhost over the local connection, and a host whose sshd refuses connections. */
  private Path inventory() throws Exception {
    return Files.writeString(dir.resolve("inventory.yml"), """
        all:
          hosts:
            localhost: {ansible_connection: local}
            down: {ansible_host: 127.0.0.1, ansible_port: 1}
        """);
  }

  @Test
  void check_metricsFile_figuresMatchTheRun() throws Exception {
    Path prom = dir.resolve("plumb.prom");
    Cli check = Cli.run("check", "--no-color", "-i", inventory().toString(), "--metrics-file", prom.toString(),
        playbook().toString());
    assertThat(check.exit()).as(check.toString()).isEqualTo(3);

    String text = Files.readString(prom);
    PromText m = PromText.parse(text);
    assertThat(m.types()).containsEntry("plumb_host_drifted_resources", "gauge").containsEntry("plumb_run_hosts", "gauge");
    // Never recorded: the difference's class is unknown, counted as a rollout waiting.
    assertThat(m.value("plumb_host_rollout_pending_resources", "host", "localhost")).isEqualTo(1);
    assertThat(m.value("plumb_host_drifted_resources", "host", "localhost")).isZero();
    assertThat(m.value("plumb_host_reachable", "host", "localhost")).isEqualTo(1);
    assertThat(m.value("plumb_host_reachable", "host", "down")).isZero();
    assertThat(m.value("plumb_host_locked", "host", "localhost")).isZero();
    assertThat(m.value("plumb_host_reboot_pending", "host", "localhost")).isZero();
    assertThat(m.value("plumb_host_verdict", "host", "localhost", "verdict", "changed")).isEqualTo(1);
    assertThat(m.value("plumb_host_verdict", "host", "localhost", "verdict", "converged")).isZero();
    assertThat(m.value("plumb_host_verdict", "host", "down", "verdict", "unreachable")).isEqualTo(1);
    assertThat(m.value("plumb_run_hosts", "command", "check", "verdict", "changed")).isEqualTo(1);
    assertThat(m.value("plumb_run_hosts", "command", "check", "verdict", "unreachable")).isEqualTo(1);
    assertThat(m.value("plumb_run_hosts", "command", "check", "verdict", "converged")).isZero();
    assertThat(m.value("plumb_run_exit_code", "command", "check")).isEqualTo(3);
    double seconds = m.value("plumb_run_duration_seconds", "command", "check");
    assertThat(seconds).isPositive();
    assertThat(check.out()).contains(String.format(java.util.Locale.ROOT, "(%.2f s)", seconds));
    double ended = m.value("plumb_run_timestamp_seconds", "command", "check");
    assertThat(ended).isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(60.0));
    assertThat(m.value("plumb_host_last_run_timestamp_seconds", "host", "localhost")).isEqualTo(ended);

    assertThat(Files.getPosixFilePermissions(prom)).as("readable by node_exporter")
        .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("no temp file left").noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void apply_metricsFile_afterConverging_nothingPending() throws Exception {
    Path prom = dir.resolve("plumb.prom");
    Cli apply = Cli.run("apply", "--no-color", "--metrics-file", prom.toString(), playbook().toString());
    assertThat(apply.exit()).as(apply.toString()).isZero();
    PromText m = PromText.parse(Files.readString(prom));
    assertThat(m.value("plumb_host_rollout_pending_resources", "host", "localhost")).isZero();
    assertThat(m.value("plumb_host_drifted_resources", "host", "localhost")).isZero();
    assertThat(m.value("plumb_host_verdict", "host", "localhost", "verdict", "changed")).isEqualTo(1);
    assertThat(m.value("plumb_run_hosts", "command", "apply", "verdict", "changed")).isEqualTo(1);
    assertThat(m.value("plumb_run_exit_code", "command", "apply")).isZero();
  }

  @Test
  void metricsFile_inAMissingDirectory_isBadInput_andNoHostIsContacted() throws Exception {
    Path target = Files.writeString(dir.resolve("t.conf"), "a=2\n");
    Path play = Files.writeString(dir.resolve("p.yml"), """
        - hosts: localhost
          resources:
            - line: {path: %s, regexp: '^a=', line: 'a=1'}
        """.formatted(target));
    Cli apply = Cli.run("apply", "--metrics-file", dir.resolve("no/such/dir/plumb.prom").toString(), play.toString());
    assertThat(apply.exit()).isEqualTo(1);
    assertThat(apply.err()).contains("--metrics-file", "does not exist");
    assertThat(Files.readString(target)).isEqualTo("a=2\n");
    Cli notProm = Cli.run("check", "--metrics-file", dir.resolve("plumb.txt").toString(), play.toString());
    assertThat(notProm.exit()).isEqualTo(1);
    assertThat(notProm.err()).contains("ending in .prom");
  }
}

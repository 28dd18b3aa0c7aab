package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchCommandTest {
  @TempDir Path dir;

  @Test
  void duration_takesMsSecondsMinutesHours_rejectsTheRest() {
    assertThat(WatchCommand.duration("--every", "10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(WatchCommand.duration("--every", "2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(WatchCommand.duration("--every", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(WatchCommand.duration("--every", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThatThrownBy(() -> WatchCommand.duration("--every", "10 minutes"))
        .hasMessage("--every takes a duration like 30s, 10m or 1h, not '10 minutes'");
  }

  @Test
  void backoff_doublesFrom5sUpTo10Minutes() {
    assertThat(WatchCommand.backoffDelay(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(WatchCommand.backoffDelay(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(WatchCommand.backoffDelay(4)).isEqualTo(Duration.ofSeconds(40));
    assertThat(WatchCommand.backoffDelay(30)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void badOptions_exit1_beforeAnythingIsLoadedOrContacted() throws Exception {
    // A playbook that does not load: the option's error comes first, and alone.
    Path playbook = Files.writeString(dir.resolve("p.yml"), "- hosts: localhost\n  resources: [{no_such_type: {}}]\n");
    Cli every = Cli.run("watch", playbook.toString(), "--every", "soon");
    assertThat(every.exit()).isEqualTo(1);
    assertThat(every.err()).contains("--every takes a duration like 30s, 10m or 1h, not 'soon'");
    Cli only = Cli.run("watch", playbook.toString(), "--every", "1s", "--only", "rollout");
    assertThat(only.exit()).isEqualTo(1);
    assertThat(only.err()).contains("--only takes drift");
    Cli listen = Cli.run("watch", playbook.toString(), "--every", "1s", "--metrics-listen", "9810");
    assertThat(listen.exit()).isEqualTo(1);
    assertThat(listen.err()).contains("--metrics-listen takes ADDR:PORT");
    for (Cli run : java.util.List.of(every, only, listen)) {
      assertThat(run.err()).as("nothing loaded").doesNotContain("no_such_type");
    }
  }

  @Test
  void cycles_runsThatManyCyclesOnALocalHostAndExits0() throws Exception {
    Path file = Files.writeString(dir.resolve("a.conf"), "a=0\n");
    Path playbook = Files.writeString(dir.resolve("p.yml"),
        "- hosts: localhost\n  resources:\n    - line: {path: " + file + ", regexp: '^a=', line: 'a=1'}\n");
    Cli watch = Cli.run("watch", playbook.toString(), "--every", "100ms", "--cycles", "2");
    assertThat(watch.exit()).as(watch.toString()).isZero();
    assertThat(watch.out()).contains("cycle 1 ", ": 1 hosts: 0 converged, 1 changed", "cycle 2 ", ": 1 hosts: 1 converged, 0 changed");
    assertThat(Files.readString(file)).isEqualTo("a=1\n");
  }
}

package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.metrics.PromText;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift told apart from rollout on this machine (local connection), with the ledger of a git
 * repository: a hand edit is drift, a changed declaration is a rollout; apply --only drift
 * corrects the first and leaves the second waiting for a reviewed apply.
 */
class DriftEndToEndTest {
  @TempDir Path dir;

  @Test
  void handEditIsDrift_changedDeclarationIsRollout_onlyDriftCorrectsTheFirstAndLeavesTheSecond() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      Path a = Files.writeString(dir.resolve("a.conf"), "a=0\n");
      Path b = Files.writeString(dir.resolve("b.conf"), "b=0\n");
      Path playbook = dir.resolve("play.yml");
      String play = """
          - hosts: localhost
            resources:
              - line: {path: %s, regexp: '^a=', line: 'a=1'}
                name: a
              - line: {path: %s, regexp: '^b=', line: 'b=%s'}
                name: b
          """;
      Files.writeString(playbook, play.formatted(a, b, "1"));

      Cli first = Cli.run("check", "--no-color", playbook.toString());
      assertThat(first.out()).as("never recorded: unknown").contains("localhost  unknown: line[a], line[b]");
      Cli apply = Cli.run("apply", "--record", "--no-color", playbook.toString());
      assertThat(apply.exit()).as(apply.toString()).isZero();

      Files.writeString(a, "a=9\n"); // by hand, on the host: drift
      Files.writeString(playbook, play.formatted(a, b, "2")); // a new declaration: a rollout

      Cli check = Cli.run("check", "--no-color", "--metrics-file", dir.resolve("plumb.prom").toString(), playbook.toString());
      assertThat(check.exit()).as(check.toString()).isEqualTo(2);
      assertThat(check.out()).contains("localhost  drift: line[a]; rollout: line[b]\n");
      PromText m = PromText.parse(Files.readString(dir.resolve("plumb.prom")));
      assertThat(m.value("plumb_host_drifted_resources", "host", "localhost")).isEqualTo(1);
      assertThat(m.value("plumb_host_rollout_pending_resources", "host", "localhost")).isEqualTo(1);

      Cli json = Cli.run("check", "--format", "json", playbook.toString());
      assertThat(json.out()).contains("\"class\": \"drift\"", "\"class\": \"rollout\"", "\"drifted\": 1", "\"rollout_pending\": 1");
      Cli junit = Cli.run("check", "--format", "junit", playbook.toString());
      assertThat(junit.out()).containsPattern("message=\"[^\"]* \\(drift\\)\"").containsPattern("message=\"[^\"]* \\(rollout\\)\"");
      Cli markdown = Cli.run("check", "--format", "markdown", playbook.toString());
      assertThat(markdown.out()).contains("| localhost | changed | 2 | 1 | 1 |  |", "update, observed, drift", "update, observed, rollout");

      Cli onlyDrift = Cli.run("apply", "--only", "drift", "--record", "--no-color", playbook.toString());
      assertThat(onlyDrift.exit()).as(onlyDrift.toString()).isZero();
      assertThat(Files.readString(a)).as("drift corrected").isEqualTo("a=1\n");
      assertThat(Files.readString(b)).as("rollout left").isEqualTo("b=1\n");
      assertThat(onlyDrift.out()).contains("waiting", "rollout (the declaration changed since this host last converged): waiting for a reviewed apply");

      Cli after = Cli.run("check", "--no-color", playbook.toString());
      assertThat(after.out()).as("still a rollout, not drift, after the correction was recorded")
          .contains("localhost  rollout: line[b]\n");

      Cli review = Cli.run("apply", "--record", "--no-color", playbook.toString());
      assertThat(review.exit()).as(review.toString()).isZero();
      assertThat(Files.readString(b)).isEqualTo("b=2\n");
      Files.writeString(b, "b=1\n");
      assertThat(Cli.run("check", "--no-color", playbook.toString()).out())
          .as("once rolled out, the same difference is drift").contains("localhost  drift: line[b]\n");
    }
  }

  @Test
  void only_takesDriftOnly() throws Exception {
    Path playbook = Files.writeString(dir.resolve("p.yml"), "- hosts: localhost\n  resources: []\n");
    Cli bad = Cli.run("apply", "--only", "rollout", playbook.toString());
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("--only takes 'drift'");
  }
}

package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --record commits the run and the facts; plan --facts-from ledger plans from them without reading the host. */
class LedgerEndToEndTest {
  @TempDir Path dir;

  @Test
  void record_thenPlanFromRecordedFacts_seesTheRecordedStateNotTheLiveOne() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      Path target = Files.writeString(dir.resolve("limits.conf"), "a=1\n");
      Path playbook = Files.writeString(dir.resolve("play.yml"), """
          - hosts: localhost
            resources:
              - line: {path: %s, regexp: '^a=', line: 'a=1'}
                name: a
          """.formatted(target));

      Cli check = Cli.run("check", "--record", "--no-color", playbook.toString());
      assertThat(check.exit()).as(check.toString()).isZero();
      assertThat(check.err()).contains("recorded in refs/plumb/ledger at ");
      RevCommit tip = git.log().add(git.getRepository().resolve("refs/plumb/ledger")).call().iterator().next();
      assertThat(tip.getFullMessage()).startsWith("plumb check " + playbook + " on 1 host").doesNotContain("1 hosts");

      Files.writeString(target, "a=2\n");
      Cli live = Cli.run("plan", "--detailed-exitcode", "--no-color", playbook.toString());
      assertThat(live.exit()).as(live.toString()).isEqualTo(2);
      Cli recorded = Cli.run("plan", "--detailed-exitcode", "--facts-from", "ledger", "--no-color", playbook.toString());
      assertThat(recorded.exit()).as(recorded.toString()).isZero();
      assertThat(recorded.out()).contains("localhost  converged");
    }
  }

  @Test
  void record_outsideAGitRepository_saysHowToFixIt() throws Exception {
    Path playbook = Files.writeString(dir.resolve("play.yml"), "- hosts: localhost\n  resources: []\n");
    Cli check = Cli.run("check", "--record", playbook.toString());
    if (check.err().contains("is not in one")) {
      assertThat(check.exit()).isEqualTo(1);
      assertThat(check.err()).contains("git init");
    } else {
      // The temp directory itself lies inside a git work tree on this machine; then recording works.
      assertThat(check.err()).contains("recorded in refs/plumb/ledger");
    }
  }
}

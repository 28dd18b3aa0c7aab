package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apply records by default in git; plumb log lists runs per host with their commits; plumb show prints one. */
class RecordsTest {
  @TempDir Path dir;
  Path playbook;
  Path target;
  Git git;
  RevCommit first;

  @BeforeEach
  void setUp() throws Exception {
    git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    target = dir.resolve("target.conf");
    playbook = Files.writeString(dir.resolve("play.yml"), """
        - hosts: localhost
          resources:
            - line: {path: %s, regexp: '^a=', line: 'a=1'}
              name: a
        """.formatted(target));
    git.add().addFilepattern("play.yml").call();
    first = git.commit().setMessage("playbook").setSign(false).call();
  }

  @Test
  void apply_inAGitRepository_recordsByDefault_withTheCommit_andLogListsItNewestFirst() throws Exception {
    Cli apply = Cli.run("apply", "--no-color", playbook.toString());
    assertThat(apply.exit()).as(apply.toString()).isZero();
    assertThat(apply.err()).contains("recorded in refs/plumb/ledger at ");

    Files.writeString(playbook, Files.readString(playbook) + "\n"); // a tracked file edited: dirty
    Cli check = Cli.run("check", "--record", "--no-color", playbook.toString());
    assertThat(check.exit()).as(check.toString()).isZero();

    Cli log = Cli.run("log", "-C", dir.toString());
    assertThat(log.exit()).as(log.toString()).isZero();
    String c = first.name().substring(0, 12);
    assertThat(log.out()).containsPattern("(?s)localhost\n"
        + "  \\S+ \\S+Z  check  converged    " + c + "\\+dirty\\s+0 changes  \\S+-check-\\w+\n"
        + "  \\S+ \\S+Z  apply  changed      " + c + "\\s+1 change   \\S+-apply-\\w+\n");
  }

  @Test
  void apply_noRecord_recordsNothing_andPlanRecordsOnlyWhenAsked() throws Exception {
    assertThat(Cli.run("apply", "--no-record", playbook.toString()).exit()).isZero();
    assertThat(Cli.run("plan", playbook.toString()).exit()).isZero();
    assertThat(git.getRepository().exactRef("refs/plumb/ledger")).isNull();
    Cli log = Cli.run("log", "-C", dir.toString());
    assertThat(log.out()).isEmpty();
    assertThat(log.err()).contains("no recorded run");
  }

  @Test
  void show_printsTheRecordedRunInEveryFormat() throws Exception {
    Files.writeString(target, "a=2\n");
    Cli check = Cli.run("check", "--record", "--no-color", playbook.toString());
    assertThat(check.exit()).isEqualTo(2);
    Matcher m = Pattern.compile("\\(run (\\S+)\\)").matcher(check.err());
    assertThat(m.find()).as(check.err()).isTrue();
    String run = m.group(1);

    Cli text = Cli.run("show", "-C", dir.toString(), run);
    assertThat(text.exit()).as(text.toString()).isZero();
    assertThat(text.out()).isEqualTo(check.out());
    Cli json = Cli.run("show", "-C", dir.toString(), "--format", "json", run.substring(0, 20));
    assertThat(json.out()).contains("\"command\": \"check\"", "\"run\": \"" + run + "\"", "\"commit\": \"" + first.name() + "\"",
        "\"dirty\": false");
    Cli junit = Cli.run("show", "-C", dir.toString(), "--format", "junit", run);
    JunitSchema.validate(junit.out());
    assertThat(junit.out()).contains("<failure message=\"update: ");
    Cli none = Cli.run("show", "-C", dir.toString(), "nope");
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.err()).contains("no recorded run nope", "plumb log");
  }

  @Test
  void log_limitAndSince_filterHostsAndRuns() {
    assertThat(LogCommand.matches("lab0*,!lab05", "lab01")).isTrue();
    assertThat(LogCommand.matches("lab0*,!lab05", "lab05")).isFalse();
    assertThat(LogCommand.matches("lab01", "lab011")).isFalse();
    assertThat(LogCommand.matches("!db*", "lab01")).isTrue();
    Instant now = Instant.parse("2026-11-29T20:00:00Z");
    assertThat(LogCommand.parseSince("2h", now)).isEqualTo(Instant.parse("2026-11-29T18:00:00Z"));
    assertThat(LogCommand.parseSince("2026-11-28", now)).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
    assertThat(Cli.run("log", "--since", "yesterday").err()).contains("--since takes a date");
  }
}

package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -v shows each command run on each host with its time and exit status, -vv the fact script; never a secret. */
class VerboseTest {
  @TempDir Path dir;

  private Path playbook() throws Exception {
    return Files.writeString(dir.resolve("play.yml"), """
        - hosts: localhost
          vars:
            flavor_token: tok-0123456789
          sensitive: [flavor_token]
          resources:
            - file:
                path: %1$s/token.txt
                content: "the token {{ flavor_token }}\\n"
              name: token
            - command:
                argv: [/bin/sh, -c, "echo {{ flavor_token }} > /dev/null; touch %1$s/done"]
                creates: %1$s/done
              name: use-token
        """.formatted(dir));
  }

  @Test
  void applyV_showsEachCommandWithExitAndTime_onStderr_withoutSecretsOrStdin() throws Exception {
    Cli apply = Cli.run("apply", "-v", "--no-color", "--no-record", playbook().toString());
    assertThat(apply.exit()).as(apply.toString()).isZero();
    assertThat(apply.err())
        .containsPattern("localhost: \\$ /bin/sh -s   # the fact script on stdin, \\d+ bytes\nlocalhost:   exit 0, \\d+\\.\\d\\d s\n")
        .containsPattern("bytes on stdin \\(not shown\\)\nlocalhost:   exit 0, ")
        .contains("localhost: $ /bin/sh -c '(sensitive)'")
        .doesNotContain("tok-0123456789", "the token", "fact script:");
    assertThat(apply.out()).doesNotContain("localhost: $");
    assertThat(Files.readString(dir.resolve("token.txt"))).isEqualTo("the token tok-0123456789\n");
  }

  @Test
  void planVV_addsTheFactScript() throws Exception {
    Cli plan = Cli.run("plan", "-vv", "--no-color", playbook().toString());
    assertThat(plan.exit()).as(plan.toString()).isZero();
    assertThat(plan.err()).contains("localhost: fact script:\n    ").contains(dir.resolve("token.txt").toString())
        .doesNotContain("tok-0123456789");
  }

  @Test
  void withoutV_noCommandIsShown() throws Exception {
    Cli plan = Cli.run("plan", "--no-color", playbook().toString());
    assertThat(plan.exit()).as(plan.toString()).isZero();
    assertThat(plan.err()).doesNotContain("localhost: $");
  }

  @Test
  void lint_doesNotOfferV() throws Exception {
    Cli lint = Cli.run("lint", "-v", playbook().toString());
    assertThat(lint.exit()).isEqualTo(1);
    assertThat(lint.err()).contains("Unknown option: '-v'");
  }
}

package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 on a lab host: {@code file} at a path that is a symbolic link never changes the file it
 * points to (content, mode) nor prints it, unless {@code follow: true}; then it writes that file and
 * the link stays a link.
 */
class FileLinkIT {
  @RegisterExtension static final Lab lab = Lab.fresh(1);
  @TempDir static Path dir;

  private static final String PLAY =
      """
      - hosts: lab01
        resources:
          - file: {path: /etc/plumb-link.conf, content: "a=1\\n", mode: "0644"%s}
            name: conf
      """;

  @Test
  void fileAtALink_isBlockedNamingIt_withoutPrintingItsTarget_andFollowWritesTheTargetKeepingTheLink() throws Exception {
    lab.exec("lab01", "sh", "-c", "umask 077; printf 'banner=from-the-target\\n' > /etc/plumb-real.conf; ln -s plumb-real.conf /etc/plumb-link.conf");
    String inventory = lab.inventory().toString();
    Path playbook = Files.writeString(dir.resolve("play.yml"), PLAY.formatted(""));

    Plumb plan = Plumb.run("plan", "-i", inventory, playbook.toString());
    assertThat(plan.out()).as(plan.toString())
        .contains("blocked: /etc/plumb-link.conf is a symbolic link to plumb-real.conf; plumb does not change a file through a link")
        .doesNotContain("from-the-target");
    Plumb apply = Plumb.run("apply", "-i", inventory, playbook.toString());
    assertThat(apply.exit()).as(apply.toString()).isEqualTo(3);
    assertThat(apply.out()).doesNotContain("from-the-target");
    assertThat(lab.exec("lab01", "stat", "-c", "%a %F", "/etc/plumb-real.conf")).isEqualTo("600 regular file\n");
    assertThat(lab.exec("lab01", "cat", "/etc/plumb-real.conf")).isEqualTo("banner=from-the-target\n");
    assertThat(lab.exec("lab01", "readlink", "/etc/plumb-link.conf")).isEqualTo("plumb-real.conf\n");

    Files.writeString(playbook, PLAY.formatted(", follow: true"));
    Plumb follow = Plumb.run("apply", "-i", inventory, playbook.toString());
    assertThat(follow.exit()).as(follow.toString()).isZero();
    assertThat(lab.exec("lab01", "readlink", "/etc/plumb-link.conf")).as("still a link").isEqualTo("plumb-real.conf\n");
    assertThat(lab.exec("lab01", "stat", "-c", "%a %F", "/etc/plumb-real.conf")).isEqualTo("644 regular file\n");
    assertThat(lab.exec("lab01", "cat", "/etc/plumb-real.conf")).isEqualTo("a=1\n");
    Plumb again = Plumb.run("check", "-i", inventory, playbook.toString());
    assertThat(again.exit()).as("converged: " + again).isZero();

    // Absent: the link goes, the file it points to stays, and the plan does not show that file.
    Files.writeString(playbook, """
        - hosts: lab01
          resources:
            - file: {path: /etc/plumb-link.conf, state: absent}
              name: conf
        """);
    Plumb remove = Plumb.run("apply", "-i", inventory, playbook.toString());
    assertThat(remove.exit()).as(remove.toString()).isZero();
    assertThat(remove.out()).contains("symbolic link to plumb-real.conf", "rm -f -- /etc/plumb-link.conf").doesNotContain("a=1");
    assertThat(lab.exec("lab01", "sh", "-c", "[ ! -e /etc/plumb-link.conf ] && [ ! -L /etc/plumb-link.conf ] && cat /etc/plumb-real.conf"))
        .isEqualTo("a=1\n");
  }
}

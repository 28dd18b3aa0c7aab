package dev.plumb.e2e;

import static dev.plumb.e2e.TwoFilePlay.PLAY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 on a lab host: a hand edit is drift and {@code apply --only drift} corrects it; a commit
 * that changes the declaration is a rollout, and {@code --only drift} leaves it for a reviewed apply.
 */
class DriftIT {
  @RegisterExtension static final Lab lab = Lab.fresh(1);
  @TempDir static Path repo;

  @Test
  void handEditCorrectedByOnlyDrift_aCommitIsNotRolledOut() throws Exception {
    String inventory = lab.inventory().toString();
    try (Git git = Git.init().setDirectory(repo.toFile()).call()) {
      Path playbook = Files.writeString(repo.resolve("play.yml"), PLAY.formatted("1"));
      git.add().addFilepattern("play.yml").call();
      git.commit().setMessage("b=1").setSign(false).call();

      Plumb apply = Plumb.run("apply", "--record", "-i", inventory, playbook.toString());
      assertThat(apply.exit()).as(apply.toString()).isZero();

      lab.exec("lab01", "sh", "-c", "echo a=9 > /etc/plumb-a.conf");
      Files.writeString(playbook, PLAY.formatted("2"));
      git.add().addFilepattern("play.yml").call();
      git.commit().setMessage("b=2").setSign(false).call();

      Plumb check = Plumb.run("check", "-i", inventory, playbook.toString());
      assertThat(check.exit()).as(check.toString()).isEqualTo(2);
      assertThat(check.out()).contains("lab01  drift: file[a]; rollout: file[b]\n");

      Plumb onlyDrift = Plumb.run("apply", "--only", "drift", "--record", "-i", inventory, playbook.toString());
      assertThat(onlyDrift.exit()).as(onlyDrift.toString()).isZero();
      assertThat(onlyDrift.out()).contains("waiting for a reviewed apply");
      assertThat(lab.exec("lab01", "cat", "/etc/plumb-a.conf")).as("drift corrected").isEqualTo("a=1\n");
      assertThat(lab.exec("lab01", "cat", "/etc/plumb-b.conf")).as("the commit is not rolled out").isEqualTo("b=1\n");

      Plumb after = Plumb.run("check", "-i", inventory, playbook.toString());
      assertThat(after.out()).contains("lab01  rollout: file[b]\n");
    }
  }
}

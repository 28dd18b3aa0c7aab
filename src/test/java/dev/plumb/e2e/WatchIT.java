package dev.plumb.e2e;

import static dev.plumb.e2e.TwoFilePlay.PLAY;
import static dev.plumb.e2e.TwoFilePlay.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import dev.plumb.metrics.PromText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, plumb watch on two lab hosts with a 2 s interval, as the packaged CLI: a hand edit is
 * corrected within a cycle, a commit is not rolled out by --only drift (it is reloaded and waits),
 * a host stopped and started again rejoins, /metrics parses and says so, and SIGTERM ends it with
 * exit 0.
 */
class WatchIT {
  @RegisterExtension static final Lab lab = Lab.fresh(2);
  @TempDir static Path repo;

  private static PromText metrics(int port) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      return PromText.parse(r.body());
    } catch (Exception e) {
      return PromText.parse("");
    }
  }

  private static double value(int port, String name, String host) {
    try {
      return metrics(port).value(name, "host", host);
    } catch (RuntimeException | AssertionError e) {
      return -1;
    }
  }

  @Test
  void handEditCorrected_commitNotRolledOut_stoppedHostRejoins_metricsMatch_sigtermExits0() throws Exception {
    String inventory = lab.inventory().toString();
    int port = TwoFilePlay.freePort();
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      Path playbook = Files.writeString(repo.resolve("play.yml"), PLAY.formatted("1"));
      git.add().addFilepattern("play.yml").call();
      git.commit().setMessage("b=1").setSign(false).call();
      Plumb apply = Plumb.run("apply", "--record", "-i", inventory, playbook.toString());
      assertThat(apply.exit()).as(apply.toString()).isZero();

      Path out = Files.createTempFile("watch-out", ".txt");
      Path err = Files.createTempFile("watch-err", ".txt");
      Process watch = new ProcessBuilder(List.of(Plumb.root().resolve("bin/plumb").toString(), "watch", "-i", inventory,
          playbook.toString(), "--every", "2s", "--only", "drift", "--metrics-listen", "127.0.0.1:" + port))
          .directory(Plumb.root().toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      String log = "";
      try {
        await("a first cycle", Duration.ofSeconds(40), () -> value(port, "plumb_host_reachable", "lab02") == 1);

        lab.exec("lab01", "sh", "-c", "echo a=9 > /etc/plumb-a.conf");
        await("the hand edit corrected", Duration.ofSeconds(15),
            () -> lab.exec("lab01", "cat", "/etc/plumb-a.conf").equals("a=1\n"));

        Files.writeString(playbook, PLAY.formatted("2"));
        git.add().addFilepattern("play.yml").call();
        git.commit().setMessage("b=2").setSign(false).call();
        await("the commit reloaded and classed rollout", Duration.ofSeconds(20),
            () -> value(port, "plumb_host_rollout_pending_resources", "lab01") == 1
                && value(port, "plumb_host_rollout_pending_resources", "lab02") == 1);
        assertThat(lab.exec("lab01", "cat", "/etc/plumb-b.conf")).as("not rolled out").isEqualTo("b=1\n");
        assertThat(lab.exec("lab02", "cat", "/etc/plumb-b.conf")).as("not rolled out").isEqualTo("b=1\n");

        lab.stop("lab02");
        await("lab02 reported unreachable", Duration.ofSeconds(20), () -> value(port, "plumb_host_reachable", "lab02") == 0);
        lab.start("lab02");
        await("lab02 rejoins", Duration.ofSeconds(45), () -> value(port, "plumb_host_reachable", "lab02") == 1);

        PromText m = metrics(port);
        assertThat(m.value("plumb_host_reachable", "host", "lab01")).isEqualTo(1);
        assertThat(m.value("plumb_host_drifted_resources", "host", "lab01")).isZero();
        assertThat(m.value("plumb_host_rollout_pending_resources", "host", "lab01")).isEqualTo(1);
        assertThat(m.value("plumb_host_verdict", "host", "lab01", "verdict", "converged")).isEqualTo(1);
        assertThat(m.value("plumb_run_hosts", "command", "apply", "verdict", "converged")).isEqualTo(2);
        assertThat(m.value("plumb_run_exit_code", "command", "apply")).isZero();
      } finally {
        watch.destroy(); // SIGTERM
        boolean ended = watch.waitFor(30, TimeUnit.SECONDS);
        log = Files.readString(out, StandardCharsets.UTF_8) + "\n--- stderr\n" + Files.readString(err, StandardCharsets.UTF_8);
        if (!ended) {
          watch.destroyForcibly();
        }
        assertThat(ended).as("SIGTERM ends the watch\n" + log).isTrue();
      }
      assertThat(watch.exitValue()).as(log).isZero();
      assertThat(log).contains("waiting for a reviewed apply", "reloaded (the repository moved to",
          "lab02 unreachable (1 in a row)", "lab02 reachable again", "plumb watch: stopped");
      assertThat(lab.exec("lab02", "cat", "/etc/plumb-b.conf")).as("never rolled out").isEqualTo("b=1\n");
    }
  }
}

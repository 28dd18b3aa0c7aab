package dev.plumb.e2e;

import static dev.plumb.e2e.TwoFilePlay.PLAY;
import static dev.plumb.e2e.TwoFilePlay.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import dev.plumb.metrics.PromText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, "the watcher survives what fleets do": one {@code plumb watch --fetch --every 2s} (the
 * packaged CLI) on three lab hosts, running from a clone whose upstream is a bare repository, lives
 * through, in turn: sshd restarted on a host (reconnected at once with the same key), a host
 * rebooted (new boot_id noted), a changed host key (refused and reported, known_hosts untouched,
 * the others go on; it rejoins when the key is back), a playbook edited on disk and SIGHUP, a
 * commit pushed upstream (fetched, fast-forwarded, rolled out), a pushed commit that does not load
 * and a repository that cannot be read (the last good load kept, the error reported every cycle,
 * recovered when fixed), and SIGTERM in the middle of a slow step (the step finishes, the next is
 * left, exit 0).
 */
class WatchSurvivesIT {
  @RegisterExtension static final Lab lab = Lab.fresh(3);
  @TempDir static Path tmp;

  /** The same with a slow step first (it says when it started), and a step after it. */
  private static final String SLOW = """
      - hosts: hypervisors
        resources:
          - command: {shell: "touch /etc/plumb-slow-started; sleep 4; echo done > /etc/plumb-slow", creates: /etc/plumb-slow}
            name: slow
          - file: {path: /etc/plumb-after.conf, content: "after\\n"}
            name: after
            requires: [slow]
      """;

  private static final Pattern CYCLE = Pattern.compile("(?m)^cycle (\\d+) .*, (\\d+) connections opened so far\\)$");

  private Path out;
  private Path err;
  private long watchPid;

  private String log() {
    try {
      return Files.readString(out, StandardCharsets.UTF_8) + "\n--- stderr\n" + Files.readString(err, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String stderr() {
    try {
      return Files.readString(err, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last cycle's number and the connections opened so far, from stdout. */
  private int[] lastCycle() {
    try {
      Matcher m = CYCLE.matcher(Files.readString(out, StandardCharsets.UTF_8));
      int[] last = {0, 0};
      while (m.find()) {
        last = new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
      }
      return last;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cycle lines of stdout after cycle {@code after}. */
  private List<String> cycleLines(int after) {
    try {
      return Files.readString(out, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("cycle "))
          .filter(l -> Integer.parseInt(l.split(" ")[1]) > after).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code n} more cycles than now have ended. */
  private void cycles(int n) throws InterruptedException {
    int from = lastCycle()[0];
    try {
      await(n + " more cycles", Duration.ofSeconds(10L * n + 10), () -> lastCycle()[0] >= from + n);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + log() + "\n--- threads\n" + threads(), e);
    }
  }

  /** The watcher's threads, for a watcher that stopped cycling. */
  private String threads() {
    try {
      Process p = new ProcessBuilder("jcmd", Long.toString(watchPid), "Thread.print").redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(20, TimeUnit.SECONDS);
      return text;
    } catch (IOException | InterruptedException e) {
      return "(no thread dump: " + e + ")";
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  private static double value(int port, String name, String host) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      return PromText.parse(r.body()).value(name, "host", host);
    } catch (Exception | AssertionError e) {
      return -1;
    }
  }

  private String cat(String host, String path) {
    try {
      return lab.exec(host, "cat", path);
    } catch (RuntimeException | AssertionError e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private static void signal(Process p, String signal) throws IOException, InterruptedException {
    // The JVM, not the launcher script: bin/plumb execs java, so they are one process.
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }

  private static void push(Path clone, String content, String message) throws Exception {
    try (Git git = Git.open(clone.toFile())) {
      Files.writeString(clone.resolve("play.yml"), content);
      git.add().addFilepattern("play.yml").call();
      git.commit().setMessage(message).setSign(false).call();
      git.push().setRemote("origin").add("main").call();
    }
  }

  /**
   * Ends the host's sshd (pid 1 of its namespaces; not a reboot: the boot_id stays), which the lab's
   * supervisor starts again with the host key then in its directory; returns once it answers.
   */
  private static void restartSshd(String host) throws Exception {
    Path nsPid = lab.root().resolve(".lab/hosts/" + host + "/ns.pid");
    String ns = Files.readString(nsPid).strip();
    assertThat(new ProcessBuilder("kill", "-TERM", ns).inheritIO().start().waitFor()).isZero();
    await("sshd of " + host + " back", Duration.ofSeconds(30), () -> {
      try {
        if (!Files.exists(nsPid) || Files.readString(nsPid).strip().equals(ns)) {
          return false;
        }
        try (java.net.Socket s = new java.net.Socket(lab.address(host), 2222)) {
          s.setSoTimeout(2000);
          return new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII).equals("SSH-");
        }
      } catch (IOException | RuntimeException e) {
        return false;
      }
    });
  }

  @Test
  void survivesRestartsRebootsKeyChangesReloadsBrokenInputAndStopsCleanly() throws Exception {
    String inventory = lab.inventory().toString();
    int port = TwoFilePlay.freePort();
    Path origin = tmp.resolve("origin.git");
    Path author = tmp.resolve("author");
    Path checkout = tmp.resolve("watch");
    Git.init().setBare(true).setDirectory(origin.toFile()).setInitialBranch("main").call().close();
    try (Git git = Git.init().setDirectory(author.toFile()).setInitialBranch("main").call()) {
      git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(origin.toUri().toURL())).call();
      Files.writeString(author.resolve("play.yml"), PLAY.formatted("1"));
      git.add().addFilepattern("play.yml").call();
      git.commit().setMessage("b=1").setSign(false).call();
      git.push().setRemote("origin").add("main").call();
    }
    Git.cloneRepository().setURI(origin.toUri().toString()).setDirectory(checkout.toFile()).setBranch("main").call().close();
    Path playbook = checkout.resolve("play.yml");
    byte[] knownHosts = Files.readAllBytes(lab.knownHosts());

    out = Files.createTempFile("watch-out", ".txt");
    err = Files.createTempFile("watch-err", ".txt");
    Process watch = new ProcessBuilder(List.of(Plumb.root().resolve("bin/plumb").toString(), "watch", "-i", inventory,
        playbook.toString(), "--every", "2s", "--fetch", "--metrics-listen", "127.0.0.1:" + port))
        .directory(Plumb.root().toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    watchPid = watch.pid();
    boolean ended = false;
    try {
      await("a first cycle\n" + log(), Duration.ofSeconds(40), () -> value(port, "plumb_host_reachable", "lab03") == 1);
      assertThat(cat("lab01", "/etc/plumb-b.conf")).isEqualTo("b=1\n");

      // sshd restarted (not a reboot): the kept connection is dead when the next cycle begins. The
      // watcher is paused meanwhile so that sshd is surely back: the cycle must reconnect at once.
      String bootId = cat("lab01", "/proc/sys/kernel/random/boot_id");
      int opened = lastCycle()[1];
      int restartedAt = lastCycle()[0];
      signal(watch, "STOP");
      try {
        restartSshd("lab01");
      } finally {
        signal(watch, "CONT");
      }
      cycles(2);
      assertThat(lastCycle()[1]).as("one new connection, to lab01\n" + log()).isEqualTo(opened + 1);
      assertThat(stderr()).as("the restart is not an outage\n" + log()).doesNotContain("lab01 unreachable");
      assertThat(cycleLines(restartedAt)).as("every cycle since the restart converged on every host\n" + log())
          .isNotEmpty().allMatch(l -> l.contains(": 3 hosts: 3 converged, 0 changed, 0 failed, 0 unreachable"));
      lab.exec("lab01", "sh", "-c", "echo a=7 > /etc/plumb-a.conf");
      await("lab01 goes on: its hand edit corrected\n" + log(), Duration.ofSeconds(15),
          () -> cat("lab01", "/etc/plumb-a.conf").equals("a=1\n"));
      assertThat(cat("lab01", "/proc/sys/kernel/random/boot_id")).as("no reboot").isEqualTo(bootId);
      assertThat(stderr()).doesNotContain("lab01 rebooted");

      // A host rebooted: noticed by its new boot_id, and it goes on.
      lab.exec("lab02", "reboot");
      await("lab02's reboot noted\n" + log(), Duration.ofSeconds(40),
          () -> stderr().contains("lab02 rebooted since the last cycle (new boot_id)"));
      lab.exec("lab02", "sh", "-c", "echo a=8 > /etc/plumb-a.conf");
      await("lab02 goes on after its reboot\n" + log(), Duration.ofSeconds(20),
          () -> cat("lab02", "/etc/plumb-a.conf").equals("a=1\n"));

      // A changed host key: refused at every try, never accepted (known_hosts untouched), reported
      // in the cycle and in /metrics; the other hosts go on. The old key back: it rejoins.
      Path hostDir = lab.root().resolve(".lab/hosts/lab03");
      Path key = hostDir.resolve("ssh_host_ed25519_key");
      Files.copy(key, tmp.resolve("key"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(hostDir.resolve("ssh_host_ed25519_key.pub"), tmp.resolve("key.pub"), StandardCopyOption.REPLACE_EXISTING);
      Files.delete(key);
      Files.delete(hostDir.resolve("ssh_host_ed25519_key.pub"));
      assertThat(new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
          .inheritIO().start().waitFor()).isZero();
      restartSshd("lab03");
      await("lab03 refused for its changed key, twice\n" + log(), Duration.ofSeconds(30),
          () -> count(stderr(), "HOST KEY CHANGED for lab03") >= 2 && stderr().contains("lab03 unreachable (2 in a row)"));
      assertThat(value(port, "plumb_host_reachable", "lab03")).isZero();
      assertThat(Files.readAllBytes(lab.knownHosts())).as("the new key is never accepted").isEqualTo(knownHosts);
      lab.exec("lab01", "sh", "-c", "echo a=9 > /etc/plumb-a.conf");
      await("the others go on while lab03 is refused\n" + log(), Duration.ofSeconds(15),
          () -> cat("lab01", "/etc/plumb-a.conf").equals("a=1\n"));
      Files.copy(tmp.resolve("key"), key, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(tmp.resolve("key.pub"), hostDir.resolve("ssh_host_ed25519_key.pub"), StandardCopyOption.REPLACE_EXISTING);
      restartSshd("lab03");
      await("lab03 rejoins with its own key\n" + log(), Duration.ofSeconds(45),
          () -> stderr().contains("lab03 reachable again") && value(port, "plumb_host_reachable", "lab03") == 1);

      // SIGHUP: the playbook as edited on disk (not committed) is used by the next cycle.
      Files.writeString(playbook, PLAY.formatted("2"));
      signal(watch, "HUP");
      await("the edit reloaded on SIGHUP and applied\n" + log(), Duration.ofSeconds(15),
          () -> cat("lab01", "/etc/plumb-b.conf").equals("b=2\n") && cat("lab03", "/etc/plumb-b.conf").equals("b=2\n"));
      assertThat(stderr()).contains("reloaded (SIGHUP)");
      try (Git git = Git.open(checkout.toFile())) {
        git.checkout().addPath("play.yml").call(); // the checkout clean again, for the fast-forward
      }

      // A commit pushed upstream: fetched, the checkout fast-forwarded, the commit rolled out.
      push(author, PLAY.formatted("3"), "b=3");
      await("the pushed commit fetched and rolled out\n" + log(), Duration.ofSeconds(20),
          () -> cat("lab02", "/etc/plumb-b.conf").equals("b=3\n"));
      assertThat(Files.readString(playbook)).isEqualTo(PLAY.formatted("3"));

      // A pushed commit that does not load: the last good load is kept and the error reported at
      // every cycle (with its place in the file); fixed by the next commit.
      push(author, PLAY.formatted("3") + "  - file: [unclosed\n", "broken");
      await("the broken commit reported at two cycles\n" + log(), Duration.ofSeconds(20),
          () -> count(stderr(), "keeping the last good load") >= 2);
      assertThat(stderr()).contains("play.yml:");
      lab.exec("lab03", "sh", "-c", "echo a=5 > /etc/plumb-a.conf");
      await("corrected with the last good load meanwhile\n" + log(), Duration.ofSeconds(15),
          () -> cat("lab03", "/etc/plumb-a.conf").equals("a=1\n"));
      push(author, PLAY.formatted("4"), "fixed");
      await("the fix fetched and rolled out\n" + log(), Duration.ofSeconds(20),
          () -> cat("lab01", "/etc/plumb-b.conf").equals("b=4\n"));
      String broken = stderr().substring(stderr().indexOf("the input could not be loaded"));
      assertThat(broken).contains("the input loads again");
      assertThat(broken.substring(0, broken.indexOf("the input loads again")))
          .as("cycles run on the last good load are not recorded as the broken commit's").doesNotContain("recorded in");

      // The repository cannot be read: the same, and said when it can be read again.
      Path gitDir = checkout.resolve(".git");
      Path away = checkout.resolve(".git-away");
      int before = count(stderr(), "keeping the last good load");
      int recovered = count(stderr(), "the input loads again");
      Files.move(gitDir, away);
      try {
        await("the unreadable repository reported at two cycles\n" + log(), Duration.ofSeconds(20),
            () -> count(stderr(), "keeping the last good load") >= before + 2);
        lab.exec("lab02", "sh", "-c", "echo a=6 > /etc/plumb-a.conf");
        await("corrected with the last good load meanwhile\n" + log(), Duration.ofSeconds(15),
            () -> cat("lab02", "/etc/plumb-a.conf").equals("a=1\n"));
      } finally {
        Files.move(away, gitDir);
      }
      await("the repository readable again\n" + log(), Duration.ofSeconds(15),
          () -> count(stderr(), "the input loads again") > recovered);

      // SIGTERM in the middle of a slow step: that step finishes, the one after it is left, exit 0.
      // The marker lives in the host's own /etc (the lab's /tmp is not private to a host in every
      // shape, and one left by an earlier run made this wait pass before the step had started).
      for (String host : lab.hosts()) {
        lab.exec(host, "rm", "-f", "/etc/plumb-slow-started");
      }
      Files.writeString(playbook, SLOW);
      signal(watch, "HUP");
      await("the slow step under way on every host\n" + log(), Duration.ofSeconds(20),
          () -> lab.hosts().stream().allMatch(h -> cat(h, "/etc/plumb-slow-started").isEmpty()));
      signal(watch, "TERM");
      ended = watch.waitFor(30, TimeUnit.SECONDS);
      assertThat(ended).as("SIGTERM ends the watch\n" + log()).isTrue();
      assertThat(watch.exitValue()).as(log()).isZero();
      for (String host : lab.hosts()) {
        assertThat(cat(host, "/etc/plumb-slow")).as("the step under way finished on " + host).isEqualTo("done\n");
        assertThat(cat(host, "/etc/plumb-after.conf")).as("the next step left on " + host).startsWith("(unreadable");
      }
      assertThat(log()).contains("plumb watch is stopping: left for the next run", "plumb watch: stopped");
    } finally {
      if (!ended) {
        watch.destroyForcibly();
        watch.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}

package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, the lease per host: two applies on the same five lab hosts never both change one;
 * check says who is applying; a killed apply releases its leases by itself.
 *
 * <p>The playbook starts with a command that waits for the test to create {@code /var/tmp/go}, so
 * the first apply holds every lease for as long as the test needs (however slow the machine); the
 * installer and update-initramfs counts say who changed what.
 */
class LeaseIT {
  private static final String CUDA_RUN = "cuda_8.0.27_linux.run";
  private static final String PLAYBOOK =
      """
      - name: lease test
        hosts: hypervisors
        resources:
          - command:
              shell: while [ ! -e /var/tmp/go ]; do sleep 0.1; done; touch /var/tmp/plumb-lease-test
              creates: /var/tmp/plumb-lease-test
            name: slow
          - module_blacklist:
              modules: [nouveau]
            name: nouveau
            notify: rebuild-initramfs
          - cuda_toolkit:
              version: 8.0.27
              installer: /opt/gpu-installers/cuda_8.0.27_linux.run
              sha256: 5c10ed77b668b89084a55ba50aa5ced4ff88cf924bb3f72a2716b541fe36bc7f
        handlers:
          - initramfs: {}
            name: rebuild-initramfs
      """;

  @RegisterExtension static final Lab lab = Lab.fresh(5);
  private static final String inventory = lab.inventory().toString();
  @TempDir static Path dir;
  private static Path playbook;

  @BeforeAll
  static void up() throws IOException {
    playbook = Files.writeString(dir.resolve("lease.yml"), PLAYBOOK);
  }

  @BeforeEach
  void fresh() {
    lab.reset("all");
  }

  @Test
  void twoApplies_theSecondFindsEveryLeaseTaken_reportsLockedWithTheHolder_andEachHostIsChangedOnce() throws Exception {
    Process first = start("apply", "--no-color", "-i", inventory, playbook.toString());
    waitForLeases(first, lab.hosts());

    Plumb check = Plumb.run("check", "-i", inventory, playbook.toString());
    assertThat(check.exit()).as(check.toString()).isEqualTo(2);
    assertThat(check.out()).as(check.toString())
        .containsPattern("(?m)^lab01  (unknown|rollout|drift): .*\\(apply in progress by run \\S+ from \\S+ \\(pid " + first.pid() + "\\) since ");

    Plumb second = Plumb.run("apply", "--format", "json", "-i", inventory, playbook.toString());
    assertThat(second.exit()).as(second.toString()).isEqualTo(3);
    Plumb.Report report = second.json();
    for (Plumb.Host host : report.hosts()) {
      assertThat(host.outcome()).as(host.toString()).isEqualTo("locked");
      assertThat((String) host.map().get("leased_by")).as(host.name()).contains("(pid " + first.pid() + ")");
      assertThat(host.problems()).singleElement().asString().startsWith("locked: an apply is in progress by run ");
    }
    assertThat(report.summaryCount("hosts_locked")).isEqualTo(5);

    go();
    assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).as(output(first)).isZero();
    assertThat(output(first)).contains("Apply: 5 changed, 0 already converged, on 5 hosts.");
    for (String host : lab.hosts()) {
      assertThat(lab.calls(host, "update-initramfs")).as("update-initramfs on " + host).isEqualTo(1);
      assertThat(lab.calls(host, CUDA_RUN)).as("CUDA installer on " + host).isEqualTo(1);
      assertThat(lab.exec(host, "sh", "-c", "ls /run/plumb")).as("holder file removed on " + host)
          .isEqualTo("lease\nlease.gen\n");
    }
    Plumb after = Plumb.run("apply", "-i", inventory, playbook.toString());
    assertThat(after.exit()).as(after.toString()).isZero();
    assertThat(after.out()).contains("Apply: 0 changed, 5 already converged, on 5 hosts.");
  }

  @Test
  void killedApply_itsLeasesAreReleasedWithinTheKeepalive_andTheNextApplyConvergesTheHosts() throws Exception {
    Process first = start("apply", "--no-color", "-i", inventory, playbook.toString());
    waitForLeases(first, lab.hosts());
    first.destroyForcibly(); // SIGKILL: no goodbye to any host
    long killed = System.nanoTime();
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    for (String host : lab.hosts()) {
      while (!lockFree(host)) {
        assertThat((System.nanoTime() - killed) / 1e9).as("seconds until the lease of " + host + " is free")
            .isLessThan(15); // the default SSH keepalive interval
        Thread.sleep(100);
      }
    }
    go(); // ends the waiting command the killed apply left behind

    Plumb next = Plumb.run("apply", "-i", inventory, playbook.toString());
    assertThat(next.exit()).as(next.toString()).isZero();
    for (String host : lab.hosts()) {
      assertThat(lab.calls(host, "update-initramfs")).as("update-initramfs on " + host).isEqualTo(1);
      assertThat(lab.calls(host, CUDA_RUN)).as("CUDA installer on " + host).isEqualTo(1);
    }
  }

  private static boolean lockFree(String host) {
    return lab.exec(host, "sh", "-c", "if flock -n /run/plumb/lease true; then echo free; else echo held; fi").equals("free\n");
  }

  private static void go() {
    for (String host : lab.hosts()) {
      lab.exec(host, "touch", "/var/tmp/go");
    }
  }

  /** Until every host's holder file is written (the lease is held). */
  private static void waitForLeases(Process apply, List<String> hosts) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    for (String host : hosts) {
      while (lab.exec(host, "sh", "-c", "cat /run/plumb/lease.holder 2>/dev/null; true").isEmpty()) {
        if (!apply.isAlive()) {
          throw new AssertionError("the first apply ended before it took every lease:\n" + output(apply));
        }
        assertThat(System.nanoTime()).as("the first apply took the lease of " + host + " within 300 s").isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  private static final java.util.Map<Process, Path> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The packaged plumb in the background, output to a file. */
  private static Process start(String... args) throws IOException {
    List<String> argv = new java.util.ArrayList<>();
    argv.add(Plumb.root().resolve("bin/plumb").toString());
    argv.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "plumb", ".out");
    Process p = new ProcessBuilder(argv).directory(Plumb.root().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    OUTPUTS.put(p, out);
    return p;
  }

  private static String output(Process p) throws IOException {
    return Files.readString(OUTPUTS.get(p));
  }
}

package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import dev.plumb.ledger.HostRecords;
import dev.plumb.text.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14 on the lab: hosts converge themselves with {@code plumb pull}, all at once, each inside
 * its own namespaces over the local connection, from one bare repository that lab01 serves over SSH
 * (its sshd runs git-upload-pack / git-receive-pack, as a git server does). Every commit is
 * SSH-signed and every pull verifies it.
 *
 * <p>{@code -Dplumb.pull.hosts=N} sets the number of pulling hosts (default 10; bench/pull runs 50);
 * {@code -Dplumb.pull.figures=FILE} writes the measured cost of each round there (docs/scale.md).
 */
class PullIT {
  private static final int HOSTS = Integer.getInteger("plumb.pull.hosts", 10);
  private static final String FIGURES = System.getProperty("plumb.pull.figures");

  @RegisterExtension static final Lab lab = Lab.fresh(HOSTS + 1);
  private static Path root;
  private static Path dir;
  private static Path bare;
  private static Path work;
  private static Path signingKey;
  private static Path allowedSigners;
  private static List<String> pullers;
  private static String url;
  private static CountingProxy proxy;
  private static final List<String> figures = new ArrayList<>();

  @BeforeAll
  static void up() throws Exception {
    root = lab.root();
    dir = root.resolve(".lab/pull");
    deleteTree(dir);
    Files.createDirectories(dir);
    bare = dir.resolve("fleet.git");
    work = dir.resolve("work");
    run(dir, "git", "init", "-q", "--bare", "-b", "main", bare.toString());
    run(dir, "git", "init", "-q", "-b", "main", work.toString());
    signingKey = dir.resolve("ops_ed25519");
    run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "ops", "-f", signingKey.toString());
    allowedSigners = Files.writeString(dir.resolve("allowed_signers"),
        "ops@example.org " + Files.readString(dir.resolve("ops_ed25519.pub")));

    pullers = lab.hosts().subList(1, lab.hosts().size());
    String server = address("lab01");
    String knownHost = Files.readAllLines(lab.knownHosts()).stream()
        .filter(l -> l.startsWith("[" + server + "]:")).findFirst().orElseThrow();
    int port = Lab.PORT;
    if (FIGURES != null) {
      proxy = new CountingProxy(server, Lab.PORT);
      port = proxy.port();
      knownHost = knownHost.replace("[" + server + "]:" + Lab.PORT, "[" + server + "]:" + port);
    }
    url = "ssh://root@" + server + ":" + port + bare;
    // Each host's root gets the lab's client key and lab01's host key: it fetches as any machine would.
    for (String h : pullers) {
      Path ssh = root.resolve(".lab/hosts/" + h + "/root/root/.ssh");
      Files.createDirectories(ssh);
      Files.copy(lab.keyFile(), ssh.resolve("id_ed25519"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(ssh.resolve("id_ed25519"), PosixFilePermissions.fromString("rw-------"));
      Files.writeString(ssh.resolve("known_hosts"), knownHost + "\n");
    }
    StringBuilder inventory = new StringBuilder("all:\n  children:\n    hypervisors:\n      hosts:\n");
    for (String h : pullers) {
      inventory.append("        ").append(h).append(":\n          ansible_host: ").append(address(h)).append('\n');
    }
    Files.writeString(work.resolve("inventory.yml"), inventory);
    writePlaybook("4.0");
    commit("ratio 4.0", true);
  }

  @AfterAll
  static void down() throws IOException {
    if (proxy != null) {
      proxy.close();
    }
    if (FIGURES != null && !figures.isEmpty()) {
      Files.write(Path.of(FIGURES), figures);
    }
  }

  private static String address(String host) throws IOException {
    return Files.readString(root.resolve(".lab/hosts/" + host + "/addr")).strip();
  }

  private static void writePlaybook(String ratio) throws IOException {
    Files.createDirectories(work.resolve("playbooks"));
    Files.writeString(work.resolve("playbooks/site.yml"), """
        - hosts: hypervisors
          vars:
            ratio: "%s"
          resources:
            - ini:
                path: /etc/nova/nova.conf
                section: DEFAULT
                option: cpu_allocation_ratio
                value: "{{ ratio }}"
              name: cpu-ratio
        """.formatted(ratio));
  }

  private static String commit(String message, boolean signed) throws Exception {
    run(work, "git", "add", "-A");
    List<String> git = new ArrayList<>(List.of("git", "-c", "user.name=Ops", "-c", "user.email=ops@example.org"));
    if (signed) {
      git.addAll(List.of("-c", "gpg.format=ssh", "-c", "user.signingkey=" + signingKey));
    }
    git.addAll(List.of("commit", "-q", "--allow-empty", "-m", message));
    if (signed) {
      git.add("-S");
    }
    run(work, git.toArray(String[]::new));
    run(work, "git", "push", "-q", bare.toString(), "HEAD:refs/heads/main");
    return run(work, "git", "rev-parse", "HEAD").strip();
  }

  /** One host's pull: exit, stdout, stderr, and GNU time's wall, user, sys, max RSS. */
  record Pull(String host, int exit, String out, String err, double wall, double cpu, long rssKb) {
    Map<?, ?> report() {
      try {
        return (Map<?, ?>) Json.parse(out);
      } catch (IllegalArgumentException e) {
        throw new AssertionError("stdout of the pull on " + host + " is not the JSON report: " + e.getMessage() + "\n" + this, e);
      }
    }

    @Override
    public String toString() {
      return host + ": exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Every host runs {@code plumb pull} at once, inside its namespaces (bin/lab exec). */
  private static Map<String, Pull> round(String name) throws Exception {
    String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    long serverCpuBefore = serverCpuTicks();
    long bytesBefore = proxy == null ? 0 : proxy.down.get();
    long bytesUpBefore = proxy == null ? 0 : proxy.up.get();
    long start = System.nanoTime();
    Map<String, Process> running = new LinkedHashMap<>();
    Map<String, Path[]> outputs = new LinkedHashMap<>();
    String jar = System.getProperty("plumb.jar", root.resolve("target/plumb.jar").toString());
    for (String h : pullers) {
      Path out = Files.createTempFile("pull-out", ".txt");
      Path err = Files.createTempFile("pull-err", ".txt");
      outputs.put(h, new Path[] {out, err});
      running.put(h, new ProcessBuilder(root.resolve("bin/lab").toString(), "exec", h,
          "/usr/bin/time", "-f", "PLUMBTIME %e %U %S %M",
          // As bin/plumb runs it: the JVM's own warnings go to stderr, so stdout stays the report
          // (a JVM warning on stdout broke the JSON report once, on a loaded machine).
          "java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xmx128m",
          "-Xlog:disable", "-Xlog:all=warning:stderr", "-jar", jar,
          "pull", "--url", url, "--playbook", "playbooks/site.yml", "-i", "inventory.yml",
          "--verify-signature", allowedSigners.toString(), "--format", "json", "--timeout", "600")
          .directory(root.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start());
    }
    Map<String, Pull> pulls = new LinkedHashMap<>();
    for (Map.Entry<String, Process> e : running.entrySet()) {
      Process p = e.getValue();
      assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("pull on " + e.getKey() + " finished").isTrue();
      Path[] files = outputs.get(e.getKey());
      String out = Files.readString(files[0]);
      String err = Files.readString(files[1]);
      Files.delete(files[0]);
      Files.delete(files[1]);
      String[] t = err.lines().filter(l -> l.startsWith("PLUMBTIME ")).reduce((a, b) -> b).orElse("PLUMBTIME 0 0 0 0").split(" ");
      pulls.put(e.getKey(), new Pull(e.getKey(), p.exitValue(), out, err,
          Double.parseDouble(t[1]), Double.parseDouble(t[2]) + Double.parseDouble(t[3]), Long.parseLong(t[4])));
    }
    double wall = (System.nanoTime() - start) / 1e9;
    if (FIGURES != null) {
      double serverCpu = (serverCpuTicks() - serverCpuBefore) / 100.0;
      List<Double> walls = pulls.values().stream().map(Pull::wall).sorted().toList();
      List<Double> cpus = pulls.values().stream().map(Pull::cpu).sorted().toList();
      long rss = pulls.values().stream().mapToLong(Pull::rssKb).max().orElse(0);
      figures.add(String.format(Locale.ROOT,
          "{\"round\":\"%s\",\"hosts\":%d,\"round_wall_s\":%.2f,\"server_cpu_s\":%.2f,\"server_bytes_sent\":%d,"
              + "\"server_bytes_received\":%d,\"host_wall_median_s\":%.2f,\"host_wall_max_s\":%.2f,"
              + "\"host_cpu_median_s\":%.2f,\"host_cpu_max_s\":%.2f,\"host_max_rss_kb\":%d,\"loadavg\":%s}",
          name, pulls.size(), wall, serverCpu, proxy.down.get() - bytesBefore, proxy.up.get() - bytesUpBefore,
          walls.get(walls.size() / 2), walls.get(walls.size() - 1), cpus.get(cpus.size() / 2), cpus.get(cpus.size() - 1), rss, load));
    }
    return pulls;
  }

  /** CPU used by lab01's sshd and everything it ran and reaped (git-upload-pack, git-receive-pack), in ticks. */
  private static long serverCpuTicks() throws IOException {
    String pid = Files.readString(root.resolve(".lab/hosts/lab01/ns.pid")).strip();
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields 14..17 of proc(5): utime stime cutime cstime; f[0] is field 3
    return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
  }

  private static String ratioOn(String host) throws IOException {
    return Files.readAllLines(root.resolve(".lab/hosts/" + host + "/root/etc/nova/nova.conf")).stream()
        .filter(l -> l.startsWith("cpu_allocation_ratio")).findFirst().orElse("(none)");
  }

  private static Map<String, HostRecords.Record> records() throws IOException {
    try (Repository repo = new FileRepositoryBuilder().setGitDir(bare.toFile()).setBare().build()) {
      return HostRecords.latest(repo).stream().collect(Collectors.toMap(HostRecords.Record::host, r -> r));
    }
  }

  private static List<?> steps(Map<?, ?> report) {
    return (List<?>) ((Map<?, ?>) ((List<?>) report.get("hosts")).get(0)).get("steps");
  }

  @Test
  void pullRounds_convergeEveryHost_recordEach_rollOutAChange_andRefuseAnUnsignedCommit() throws Exception {
    String first = run(work, "git", "rev-parse", "HEAD").strip();

    // Round 1: every host converges from the signed commit and records it on its own ref.
    Map<String, Pull> r1 = round("first");
    for (Pull p : r1.values()) {
      assertThat(p.exit()).as(p.toString()).isZero();
      assertThat(ratioOn(p.host())).as(p.host()).isEqualTo("cpu_allocation_ratio = 4.0");
      assertThat(((Map<?, ?>) ((List<?>) p.report().get("hosts")).get(0)).get("outcome")).isEqualTo("changed");
    }
    Map<String, HostRecords.Record> records = records();
    assertThat(records.keySet()).containsExactlyInAnyOrderElementsOf(pullers);
    records.values().forEach(r -> assertThat(r.file("commit")).as(r.host()).hasValue(first + "\n"));

    // Round 2: nothing to do anywhere: no step, no command.
    Map<String, Pull> r2 = round("converged");
    for (Pull p : r2.values()) {
      assertThat(p.exit()).as(p.toString()).isZero();
      Map<?, ?> host = (Map<?, ?>) ((List<?>) p.report().get("hosts")).get(0);
      assertThat(host.get("outcome")).as(p.host()).isEqualTo("converged");
      assertThat(steps(p.report())).as(p.host() + " ran no command").allSatisfy(s -> {
        Map<?, ?> result = (Map<?, ?>) ((Map<?, ?>) s).get("result");
        assertThat(result == null ? null : ((Number) result.get("commands_run")).intValue()).isIn(0, null);
      });
    }
    Map<String, HostRecords.Record> again = records();
    pullers.forEach(h -> assertThat(again.get(h).id()).as(h + " recorded round 2").isNotEqualTo(records.get(h).id()));

    // Round 3: a signed commit changes one value; the next round rolls it out everywhere.
    writePlaybook("8.0");
    String second = commit("ratio 8.0", true);
    Map<String, Pull> r3 = round("rollout");
    for (Pull p : r3.values()) {
      assertThat(p.exit()).as(p.toString()).isZero();
      assertThat(ratioOn(p.host())).as(p.host()).isEqualTo("cpu_allocation_ratio = 8.0");
    }
    records().values().forEach(r -> assertThat(r.file("commit")).as(r.host()).hasValue(second + "\n"));

    // Round 4: an unsigned commit (as from a compromised repository) changes nothing anywhere.
    writePlaybook("16.0");
    String unsigned = commit("ratio 16.0, unsigned", false);
    Map<String, HostRecords.Record> before = records();
    Map<String, Pull> r4 = round("unsigned");
    for (Pull p : r4.values()) {
      assertThat(p.exit()).as(p.toString()).isEqualTo(1);
      assertThat(p.err()).contains("commit " + unsigned + " is not signed; nothing of it was loaded");
      assertThat(ratioOn(p.host())).as(p.host()).isEqualTo("cpu_allocation_ratio = 8.0");
    }
    Map<String, HostRecords.Record> after = records();
    pullers.forEach(h -> assertThat(after.get(h).id()).as(h + ": no record of a refused commit").isEqualTo(before.get(h).id()));
  }

  private static String run(Path in, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(in.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    return out;
  }

  private static void deleteTree(Path p) throws IOException {
    if (Files.exists(p)) {
      try (var walk = Files.walk(p)) {
        for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(q);
        }
      }
    }
  }

  /** A TCP relay in front of the git server's sshd that counts the bytes each way (for the figures). */
  static final class CountingProxy implements AutoCloseable {
    final AtomicLong down = new AtomicLong(); // server to hosts
    final AtomicLong up = new AtomicLong();
    private final ServerSocket server;

    CountingProxy(String address, int port) throws IOException {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 1000);
      Thread accept = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket client = server.accept();
            Socket target = new Socket(address, port);
            pump(client.getInputStream(), target.getOutputStream(), up, client, target);
            pump(target.getInputStream(), client.getOutputStream(), down, client, target);
          } catch (IOException e) {
            // closed
          }
        }
      });
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private static void pump(InputStream in, OutputStream out, AtomicLong count, Socket a, Socket b) {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[65536];
        try {
          for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
            count.addAndGet(n);
          }
        } catch (IOException e) {
          // the other side closed
        } finally {
          try {
            a.close();
            b.close();
          } catch (IOException e) {
            // already closed
          }
        }
      });
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}

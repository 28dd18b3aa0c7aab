package dev.plumb.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SshConnectionTest {
  private static final Duration T = Duration.ofSeconds(10);

  @TempDir Path dir;
  private EmbeddedSshd sshd;

  @BeforeEach
  void start() throws Exception {
    sshd = EmbeddedSshd.start(dir, "s3cret-Pa55");
  }

  @AfterEach
  void stop() throws Exception {
    sshd.close();
  }

  @Test
  void exec_keyAuth_returnsStdoutStderrAndStatus() throws Exception {
    try (Connection c = Connections.open(sshd.settings(dir).build())) {
      ExecResult r = c.exec("echo out; echo err >&2; exit 3", new byte[0], T);
      assertThat(r.exitStatus()).isEqualTo(3);
      assertThat(r.stdoutText()).isEqualTo("out\n");
      assertThat(r.stderrText()).isEqualTo("err\n");
      assertThat(c.exec("true", new byte[0], T).ok()).isTrue();
      assertThat(c.execCount()).isEqualTo(2);
      assertThat(c.host()).startsWith("test-");
    }
  }

  @Test
  void exec_stdin_isDeliveredAndClosed() throws Exception {
    try (Connection c = Connections.open(sshd.settings(dir).build())) {
      ExecResult r = c.exec("tr a-z A-Z; echo done", "hello\nworld\n".getBytes(StandardCharsets.UTF_8), T);
      assertThat(r.stdoutText()).isEqualTo("HELLO\nWORLD\ndone\n");
    }
  }

  @Test
  void exec_largeOutput_doesNotDeadlock() throws Exception {
    byte[] input = new byte[1 << 20];
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) ('a' + i % 26);
    }
    try (Connection c = Connections.open(sshd.settings(dir).build())) {
      // 1 MB on stdout and 1 MB on stderr at once, plus 1 MB of stdin echoed back.
      ExecResult r = c.exec("head -c 1048576 /dev/zero >&2 & cat; wait", input, T);
      assertThat(r.exitStatus()).isZero();
      assertThat(r.stdout()).isEqualTo(input);
      assertThat(r.stderr()).hasSize(1 << 20);
    }
  }

  @Test
  void connect_unknownHost_refusedWithFingerprintAndHint() throws Exception {
    Path knownHosts = dir.resolve("empty_known_hosts");
    SshSettings settings = sshd.settings(dir).build();
    SshSettings unknown = withKnownHosts(settings, knownHosts, false);
    TransportException e = catchThrowableOfType(TransportException.class, () -> Connections.open(unknown));
    assertThat(e.unreachable()).isTrue();
    assertThat(e.getMessage())
        .contains("ssh-ed25519")
        .contains(sshd.fingerprint())
        .contains("--accept-new-host-keys");
    assertThat(sshd.fingerprint()).matches("SHA256:[A-Za-z0-9+/]{43}");
    assertThat(knownHosts).doesNotExist();
  }

  @Test
  void connect_acceptNew_recordsKeyAndNextConnectionNeedsNoFlag() throws Exception {
    Path readOnlyDir = Files.createDirectory(dir.resolve("ro"));
    Path readOnly = Files.writeString(readOnlyDir.resolve("known_hosts"), "# nothing\n");
    readOnly.toFile().setWritable(false);
    Path writable = dir.resolve("inventory_known_hosts");
    SshSettings base = sshd.settings(dir).build();
    SshSettings accepting = new SshSettings(base.hostName(), base.address(), base.port(), base.user(),
        base.identityFiles(), null, null, java.util.List.of(readOnly, writable), true, null,
        base.connectTimeout(), base.commandTimeout(), base.keepAliveInterval(), false, "root", null);
    boolean rootCanWriteAnyway = Files.isWritable(readOnly);
    try (Connection c = Connections.open(accepting)) {
      assertThat(c.exec("echo hi", new byte[0], T).stdoutText()).isEqualTo("hi\n");
    }
    Path recorded = rootCanWriteAnyway ? readOnly : writable;
    assertThat(Files.readString(recorded)).contains(sshd.knownHostsLine());

    SshSettings strict = withKnownHosts(base, recorded, false);
    try (Connection c = Connections.open(strict)) {
      assertThat(c.exec("echo again", new byte[0], T).stdoutText()).isEqualTo("again\n");
    }
  }

  @Test
  void connect_changedHostKey_refusedEvenWhenAcceptingNew() throws Exception {
    Path knownHosts = dir.resolve("changed_known_hosts");
    try (EmbeddedSshd other = EmbeddedSshd.start(dir, null)) {
      // The other server's key, recorded under this server's name: the key "changed".
      String stale = other.knownHostsLine().replace(":" + other.port() + " ", ":" + sshd.port() + " ");
      Files.writeString(knownHosts, "# header\n" + stale + "\n");
      SshSettings settings = withKnownHosts(sshd.settings(dir).build(), knownHosts, true);
      TransportException e = catchThrowableOfType(TransportException.class, () -> Connections.open(settings));
      assertThat(e.getMessage())
          .contains("HOST KEY CHANGED")
          .contains(sshd.fingerprint())
          .contains(other.fingerprint())
          .contains(knownHosts + ":2");
      assertThat(Files.readString(knownHosts)).isEqualTo("# header\n" + stale + "\n");
    }
  }

  @Test
  void connect_hashedKnownHostsEntry_isVerified() throws Exception {
    Path knownHosts = dir.resolve("hashed_known_hosts");
    Files.writeString(knownHosts, sshd.knownHostsLine() + "\n");
    Process p = new ProcessBuilder("ssh-keygen", "-H", "-f", knownHosts.toString()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    assertThat(Files.readString(knownHosts)).startsWith("|1|");
    try (Connection c = Connections.open(withKnownHosts(sshd.settings(dir).build(), knownHosts, false))) {
      assertThat(c.exec("echo ok", new byte[0], T).ok()).isTrue();
    }
  }

  @Test
  void auth_password_worksAndIsNeverShown() throws Exception {
    String password = "s3cret-Pa55";
    SshSettings settings = sshd.settings(dir).build();
    SshSettings withPassword = new SshSettings(settings.hostName(), settings.address(), settings.port(),
        settings.user(), java.util.List.of(), null, password, settings.knownHostsFiles(), false, null,
        settings.connectTimeout(), settings.commandTimeout(), settings.keepAliveInterval(), true, "root", "b3come-Pa55");
    assertThat(withPassword.toString()).doesNotContain(password).doesNotContain("b3come-Pa55").contains("<redacted>");
    SshSettings noSudo = new SshSettings(settings.hostName(), settings.address(), settings.port(),
        settings.user(), java.util.List.of(), null, password, settings.knownHostsFiles(), false, null,
        settings.connectTimeout(), settings.commandTimeout(), settings.keepAliveInterval(), false, "root", null);
    try (Connection c = Connections.open(noSudo)) {
      ExecResult r = c.exec("echo logged in", new byte[0], T);
      assertThat(r.stdoutText()).isEqualTo("logged in\n");
      assertThat(c.toString()).doesNotContain(password);
    }
    SshSettings wrong = new SshSettings(settings.hostName(), settings.address(), settings.port(),
        settings.user(), java.util.List.of(), null, "not-" + password, settings.knownHostsFiles(), false, null,
        settings.connectTimeout(), settings.commandTimeout(), settings.keepAliveInterval(), false, "root", null);
    TransportException e = catchThrowableOfType(TransportException.class, () -> Connections.open(wrong));
    assertThat(e.unreachable()).isTrue();
    assertThat(e.getMessage()).contains("authentication failed for tester@127.0.0.1:" + sshd.port())
        .contains("ansible_password").doesNotContain(password);
    assertThat(stackTraceOf(e)).doesNotContain(password);
  }

  @Test
  void auth_wrongKey_failsNamingKeysAndWhatToCheck() throws Exception {
    Path otherKey = dir.resolve("other_key");
    EmbeddedSshd.keygen(otherKey);
    SshSettings s = sshd.settings(dir).build();
    SshSettings wrongKey = new SshSettings(s.hostName(), s.address(), s.port(), s.user(),
        java.util.List.of(otherKey, dir.resolve("missing_key")), null, null, s.knownHostsFiles(), false, null,
        s.connectTimeout(), s.commandTimeout(), s.keepAliveInterval(), false, "root", null);
    TransportException e = catchThrowableOfType(TransportException.class, () -> Connections.open(wrongKey));
    assertThat(e.unreachable()).isTrue();
    assertThat(e.getMessage()).contains("authentication failed for tester@127.0.0.1:" + s.port())
        .contains(otherKey.toString()).contains("missing_key (missing)").contains("ansible_ssh_private_key_file");
  }

  @Test
  void keepalive_answered_keepsTheConnection_unanswered_dropsItAfterFiveIntervals() throws Exception {
    SshSettings settings = sshd.settings(dir).keepAliveInterval(Duration.ofSeconds(1)).build();
    try (Connection kept = Connections.open(settings); Connection dropped = Connections.open(settings)) {
      Thread.sleep(7_000); // answered keepalives: 7 sent, none pending
      assertThat(kept.exec("echo alive", new byte[0], T).stdoutText()).isEqualTo("alive\n");
      assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.contains("KeepAlive")))
          .as("no keepalive thread per connection").isEmpty();
      sshd.ignoreKeepalives.set(true);
      long start = System.nanoTime();
      TransportException lost = null;
      while (lost == null && System.nanoTime() - start < 15_000_000_000L) {
        Thread.sleep(500);
        try {
          dropped.exec("true", new byte[0], T);
        } catch (TransportException e) {
          lost = e;
        }
      }
      assertThat(lost).as("the connection counted lost after unanswered keepalives").isNotNull();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(10));
    } finally {
      sshd.ignoreKeepalives.set(false);
    }
  }

  @Test
  void exec_timeout_throwsNamingTheTimeout() throws Exception {
    try (Connection c = Connections.open(sshd.settings(dir).build())) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> c.exec("sleep 20", new byte[0], Duration.ofMillis(500)))
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("timed out after 500 ms")
          .hasMessageContaining("sleep 20")
          .satisfies(e -> assertThat(((TransportException) e).timedOut()).as("a timeout, not a lost connection").isTrue());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      // The connection stays usable after a timed-out command.
      assertThat(c.exec("echo still", new byte[0], T).stdoutText()).isEqualTo("still\n");
    }
  }

  @Test
  void exec_connectionDroppedMidCommand_throwsNotSuccess() throws Exception {
    try (Connection c = Connections.open(sshd.settings(dir).build())) {
      CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
        try {
          return c.exec("sleep 30", new byte[0], Duration.ofSeconds(60));
        } catch (TransportException e) {
          return e;
        }
      });
      Thread.sleep(500);
      long start = System.nanoTime();
      sshd.stop();
      Object outcome = running.get(10, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(outcome).isInstanceOf(TransportException.class);
      assertThat(((TransportException) outcome).getMessage()).contains("sleep 30").contains("unknown");
      assertThat(((TransportException) outcome).timedOut()).as("a lost connection, not a timeout").isFalse();
    }
  }

  @Test
  void connect_refused_isUnreachableAndFast() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    SshSettings s = sshd.settings(dir).port(closedPort).build();
    long start = System.nanoTime();
    TransportException e = catchThrowableOfType(TransportException.class, () -> Connections.open(s));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(s.connectTimeout());
    assertThat(e.unreachable()).isTrue();
    assertThat(e.getMessage()).contains("connection refused").contains("127.0.0.1:" + closedPort)
        .contains("ansible_port");
  }

  @Test
  void connect_proxyJump_tunnelsThroughTheJumpHost() throws Exception {
    try (EmbeddedSshd target = EmbeddedSshd.start(dir, null)) {
      Path knownHosts = dir.resolve("both_known_hosts");
      Files.writeString(knownHosts, sshd.knownHostsLine() + "\n" + target.knownHostsLine() + "\n");
      SshSettings jump = withKnownHosts(sshd.settings(dir).build(), knownHosts, false);
      SshSettings viaJump = target.settings(dir).proxyJump(jump).build();
      viaJump = withKnownHosts(viaJump, knownHosts, false);
      try (Connection c = Connections.open(viaJump)) {
        assertThat(c.exec("echo through", new byte[0], T).stdoutText()).isEqualTo("through\n");
      }
      assertThat(sshd.directTcpip.get()).isEqualTo(1);
      assertThat(target.directTcpip.get()).isZero();
      assertThat(target.sessions.get()).isEqualTo(1);
    }
  }

  @Test
  void connect_proxyJumpSpec_fromString() throws Exception {
    try (EmbeddedSshd target = EmbeddedSshd.start(dir, null)) {
      Path knownHosts = dir.resolve("both_known_hosts");
      Files.writeString(knownHosts, sshd.knownHostsLine() + "\n" + target.knownHostsLine() + "\n");
      SshSettings viaJump = SshSettings.builder("target")
          .address("127.0.0.1").port(target.port()).user(EmbeddedSshd.USER)
          .identityFile(target.clientKey).defaultKeyDir(null).knownHostsFile(knownHosts)
          .proxyJump(EmbeddedSshd.USER + "@127.0.0.1:" + sshd.port())
          .build();
      assertThat(viaJump.proxyJump().destination()).isEqualTo(EmbeddedSshd.USER + "@127.0.0.1:" + sshd.port());
      try (Connection c = Connections.open(viaJump)) {
        assertThat(c.exec("echo through", new byte[0], T).stdoutText()).isEqualTo("through\n");
      }
      assertThat(sshd.directTcpip.get()).isEqualTo(1);
    }
  }

  @Test
  void open_fromInventoryVars_connectsOverSsh() throws Exception {
    Path knownHosts = dir.resolve("inventory_known_hosts");
    Files.writeString(knownHosts, sshd.knownHostsLine() + "\n");
    java.util.Map<String, String> vars = java.util.Map.of(
        "ansible_host", "127.0.0.1", "ansible_port", String.valueOf(sshd.port()),
        "ansible_user", EmbeddedSshd.USER, "ansible_ssh_private_key_file", sshd.clientKey.toString(),
        "known_hosts_file", knownHosts.toString());
    TransportOptions options = new TransportOptions(false, Duration.ofSeconds(5), null,
        dir.resolve("user_known_hosts"), null, java.util.Map.of());
    try (Connection c = Connections.open("gpu1", vars, options)) {
      assertThat(c.host()).isEqualTo("gpu1");
      assertThat(c.exec("echo $((6*7))", new byte[0], T).stdoutText()).isEqualTo("42\n");
    }
  }

  @Test
  void auth_encryptedKey_usesPassphrase() throws Exception {
    Path encrypted = dir.resolve("id_encrypted");
    Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "key-pass-123", "-f",
        encrypted.toString()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    Files.writeString(dir.resolve("id_test.pub"),
        Files.readString(dir.resolve("id_test.pub")) + Files.readString(dir.resolve("id_encrypted.pub")));
    SshSettings s = sshd.settings(dir).build();
    SshSettings withPassphrase = new SshSettings(s.hostName(), s.address(), s.port(), s.user(),
        java.util.List.of(encrypted), () -> "key-pass-123", null, s.knownHostsFiles(), false, null,
        s.connectTimeout(), s.commandTimeout(), s.keepAliveInterval(), false, "root", null);
    try (Connection c = Connections.open(withPassphrase)) {
      assertThat(c.exec("echo unlocked", new byte[0], T).stdoutText()).isEqualTo("unlocked\n");
    }
    SshSettings noPassphrase = new SshSettings(s.hostName(), s.address(), s.port(), s.user(),
        java.util.List.of(encrypted), null, null, s.knownHostsFiles(), false, null,
        s.connectTimeout(), s.commandTimeout(), s.keepAliveInterval(), false, "root", null);
    TransportException e = catchThrowableOfType(TransportException.class, () -> Connections.open(noPassphrase));
    assertThat(e.unreachable()).isTrue();
    assertThat(e.getMessage()).contains(encrypted + " (unusable").contains("PLUMB_KEY_PASSPHRASE")
        .doesNotContain("key-pass-123");
  }

  @Test
  void exec_becomeWithPassword_passwordGoesToSudoStdinOnly() throws Exception {
    // A fake sudo on the server's PATH: -S -v checks the password line and caches it; -n runs the
    // command only when the credentials are cached ("a password is required" otherwise).
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path log = dir.resolve("sudo.log");
    Path cached = dir.resolve("sudo.cached");
    Path sudo = Files.writeString(bin.resolve("sudo"), String.join("\n",
        "#!/bin/sh",
        "printf '%s\\n' \"$*\" >> " + log,
        "stdin_pw=0; validate=0; user=root",
        "while [ $# -gt 0 ]; do case \"$1\" in",
        "  -S) stdin_pw=1; shift;; -v) validate=1; shift;; -n) shift;; -p) shift 2;; -u) user=$2; shift 2;; --) shift; break;; *) break;;",
        "esac; done",
        "if [ $stdin_pw = 1 ]; then IFS= read -r pw; [ \"$pw\" = 'b3come-Pa55' ] || { echo 'sudo: wrong password' >&2; exit 1; }; touch " + cached + "; fi",
        "[ $validate = 1 ] && exit 0",
        "[ -f " + cached + " ] || { echo 'sudo: a password is required' >&2; exit 1; }",
        "FAKE_SUDO_USER=$user exec \"$@\"", ""));
    sudo.toFile().setExecutable(true);
    sshd.binDir = bin;
    SshSettings s = sshd.settings(dir).build();
    SshSettings become = new SshSettings(s.hostName(), s.address(), s.port(), s.user(), s.identityFiles(), null,
        null, s.knownHostsFiles(), false, null, s.connectTimeout(), s.commandTimeout(), s.keepAliveInterval(),
        true, "postgres", "b3come-Pa55");
    try (Connection c = Connections.open(become)) {
      ExecResult r = c.exec("echo \"as $FAKE_SUDO_USER\"; cat", "payload\n".getBytes(StandardCharsets.UTF_8), T);
      assertThat(r.stderrText()).isEmpty();
      assertThat(r.stdoutText()).isEqualTo("as postgres\npayload\n");
    }
    assertThat(Files.readString(log)).startsWith("-S -p  -v -u postgres\n-n -u postgres -- /bin/sh -c ")
        .doesNotContain("b3come-Pa55");
  }

  static SshSettings withKnownHosts(SshSettings s, Path knownHosts, boolean acceptNew) {
    return new SshSettings(s.hostName(), s.address(), s.port(), s.user(), s.identityFiles(), s.keyPassphrase(),
        s.password(), java.util.List.of(knownHosts), acceptNew, s.proxyJump(), s.connectTimeout(),
        s.commandTimeout(), s.keepAliveInterval(), s.become(), s.becomeUser(), s.becomePassword());
  }

  private static String stackTraceOf(Throwable e) {
    java.io.StringWriter w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }
}

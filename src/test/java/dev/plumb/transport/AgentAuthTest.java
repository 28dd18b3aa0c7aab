package dev.plumb.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Login with keys held by a real ssh-agent, against an SSH server in the test JVM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgentAuthTest {
  private static final Duration T = Duration.ofSeconds(10);

  @TempDir Path dir;
  private EmbeddedSshd sshd;
  private SshAgentProcess agent;

  @BeforeEach
  void start() throws Exception {
    sshd = EmbeddedSshd.start(dir, null);
    agent = SshAgentProcess.start(dir);
  }

  @AfterEach
  void stop() throws Exception {
    agent.close();
    sshd.close();
  }

  /** The server's settings with no key file of their own. */
  private SshSettings.Builder noKeyFile() throws Exception {
    Path knownHosts = dir.resolve("known_hosts");
    Files.writeString(knownHosts, sshd.knownHostsLine() + "\n");
    return SshSettings.builder("agent-test").address("127.0.0.1").port(sshd.port()).user(EmbeddedSshd.USER)
        .defaultKeyDir(null).knownHostsFile(knownHosts).connectTimeout(Duration.ofSeconds(5));
  }

  @Test
  void open_keyOnlyInTheAgent_noKeyFileNoPassphrase_logsIn() throws Exception {
    agent.add(sshd.clientKey, null);
    SshSettings settings = noKeyFile().agentSocket(agent.socket()).build();
    try (Connection c = Connections.open(settings)) {
      assertThat(c.exec("echo via-agent", new byte[0], T).stdoutText()).isEqualTo("via-agent\n");
    }
  }

  @Test
  void open_encryptedKeyFileHeldByAgent_identitiesOnly_agentSignsWithoutPassphrase() throws Exception {
    Path encrypted = dir.resolve("id_encrypted");
    SshAgentProcess.keygen(encrypted, "ed25519", "pass-in-agent-only", "encrypted@test");
    Files.writeString(dir.resolve("id_test.pub"), Files.readString(dir.resolve("id_encrypted.pub")));
    agent.add(sshd.clientKey, null); // authorized no more: it must not be needed
    agent.add(encrypted, "pass-in-agent-only");
    SshSettings settings = noKeyFile().identityFile(encrypted).identitiesOnly(true).agentSocket(agent.socket()).build();
    try (Connection c = Connections.open(settings)) {
      assertThat(c.exec("echo signed-by-agent", new byte[0], T).stdoutText()).isEqualTo("signed-by-agent\n");
    }
  }

  @Test
  void open_identitiesOnly_agentKeyThatIsNoIdentityFile_notOffered_errorNamesEveryIdentity() throws Exception {
    agent.add(sshd.clientKey, null);
    Path missing = dir.resolve("id_missing");
    SshSettings settings = noKeyFile().identityFile(missing).identitiesOnly(true).agentSocket(agent.socket()).build();
    TransportException e = catchThrowableOfType(TransportException.class, () -> Connections.open(settings));
    assertThat(e.unreachable()).isTrue();
    String agentKey = "ssh-ed25519 " + SshAgent.fingerprint(SshAgentTest.pubBlob(sshd.clientKey)) + " plumb-test";
    assertThat(e.getMessage())
        .startsWith("no usable credentials for tester@127.0.0.1:" + sshd.port() + " (host agent-test)")
        .contains(missing + " (missing)")
        .contains("ssh-agent key " + agentKey + " (not offered: IdentitiesOnly yes")
        .contains("ssh-add");
  }

  @Test
  void open_agentStopped_errorSaysTheAgentIsUnreachableAndWhichFilesWereTried() throws Exception {
    Path socket = agent.socket();
    agent.close();
    Path other = dir.resolve("id_other");
    SshAgentProcess.keygen(other, "ed25519", "", "other");
    SshSettings settings = noKeyFile().identityFile(other).agentSocket(socket).build();
    TransportException e = catchThrowableOfType(TransportException.class, () -> Connections.open(settings));
    assertThat(e.unreachable()).isTrue();
    assertThat(e.getMessage())
        .startsWith("authentication failed for tester@127.0.0.1:" + sshd.port() + " (host agent-test)")
        .contains("identities tried: " + other)
        .contains("ssh-agent at " + socket + " is unreachable")
        .contains("ansible_ssh_private_key_file").contains("ssh-add");
  }

  @Test
  void open_agentHoldsNoKeys_errorSaysSo() throws Exception {
    SshSettings settings = noKeyFile().agentSocket(agent.socket()).build();
    TransportException e = catchThrowableOfType(TransportException.class, () -> Connections.open(settings));
    assertThat(e.unreachable()).isTrue();
    assertThat(e.getMessage()).contains("identities tried: none (")
        .contains("ssh-agent at " + agent.socket() + " holds no keys");
  }

  @Test
  void credentials_keyFilesComeBeforeTheAgentsOtherKeys() throws Exception {
    Path other = dir.resolve("id_other");
    SshAgentProcess.keygen(other, "ed25519", "", "other");
    agent.add(other, null);
    SshSettings settings = noKeyFile().identityFile(sshd.clientKey).agentSocket(agent.socket()).build();
    try (SSHClient client = new SSHClient()) {
      Credentials credentials = Credentials.of(settings, client);
      assertThat(credentials.tried()).containsExactly(sshd.clientKey.toString(),
          "ssh-agent key ssh-ed25519 " + SshAgent.fingerprint(SshAgentTest.pubBlob(other)) + " other");
      assertThat(credentials.methods()).hasSize(2);
      assertThat(credentials.methods().get(0)).isInstanceOf(AuthPublickey.class);
      assertThat(credentials.methods().get(1)).isInstanceOf(AgentAuth.class);
      assertThat(credentials.agent()).isNull();
    }
  }
}

package dev.plumb.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionsTest {
  @TempDir Path dir;

  private TransportOptions options(Map<String, String> env) {
    return new TransportOptions(false, null, null, dir.resolve("known_hosts"), null, env);
  }

  @Test
  void open_localhostWithoutAddress_isLocal() throws Exception {
    try (Connection c = Connections.open("localhost", Map.of(), options(Map.of()))) {
      assertThat(c).isInstanceOf(LocalConnection.class);
      assertThat(c.exec("echo hi", new byte[0], Duration.ofSeconds(5)).stdoutText()).isEqualTo("hi\n");
    }
  }

  @Test
  void isLocal_followsConnectionVariable() {
    assertThat(Connections.isLocal("gpu1", Map.of("ansible_connection", "local"))).isTrue();
    assertThat(Connections.isLocal("gpu1", Map.of("connection", "local"))).isTrue();
    assertThat(Connections.isLocal("gpu1", Map.of())).isFalse();
    assertThat(Connections.isLocal("localhost", Map.of("ansible_host", "10.0.0.1"))).isFalse();
    assertThat(Connections.isLocal("localhost", Map.of("ansible_connection", "ssh"))).isFalse();
    assertThatThrownBy(() -> Connections.isLocal("gpu1", Map.of("ansible_connection", "winrm")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("winrm");
  }

  @Test
  void settings_ansibleNamesAndSynonyms() {
    SshSettings s = Connections.settings("gpu1", Map.of(
        "ansible_host", "127.0.1.3", "ansible_port", "2222", "ansible_user", "root",
        "ansible_ssh_private_key_file", "/keys/lab", "ansible_become", "yes",
        "ansible_become_user", "postgres", "known_hosts_file", "/inv/known_hosts", "connect_timeout", "3"),
        options(Map.of()));
    assertThat(s.destination()).isEqualTo("root@127.0.1.3:2222");
    assertThat(s.identityFiles()).containsExactly(Path.of("/keys/lab"));
    assertThat(s.become()).isTrue();
    assertThat(s.becomeUser()).isEqualTo("postgres");
    assertThat(s.knownHostsFiles()).containsExactly(dir.resolve("known_hosts"), Path.of("/inv/known_hosts"));
    assertThat(s.connectTimeout()).hasSeconds(3);

    SshSettings shortNames = Connections.settings("gpu1", Map.of(
        "host", "10.1.1.1", "port", "22", "user", "ops", "private_key", "/k", "become", "1",
        "password", "pw-abcdef"), options(Map.of()));
    assertThat(shortNames.destination()).isEqualTo("ops@10.1.1.1:22");
    assertThat(shortNames.password()).isEqualTo("pw-abcdef");
    assertThat(shortNames.become()).isTrue();
  }

  @Test
  void settings_ansibleNameWinsOverSynonym() {
    SshSettings s = Connections.settings("gpu1", Map.of("ansible_user", "a", "user", "b"), options(Map.of()));
    assertThat(s.user()).isEqualTo("a");
  }

  @Test
  void settings_secretsFromEnvironment() {
    SshSettings s = Connections.settings("gpu1", Map.of("ansible_user", "u"), options(Map.of(
        "PLUMB_BECOME_PASSWORD", "bpw-abcdef", "PLUMB_SSH_PASSWORD", "spw-abcdef",
        "PLUMB_KEY_PASSPHRASE", "kp-abcdef")));
    assertThat(s.becomePassword()).isEqualTo("bpw-abcdef");
    assertThat(s.password()).isEqualTo("spw-abcdef");
    assertThat(s.keyPassphrase().get()).isEqualTo("kp-abcdef");
    assertThat(s.toString()).doesNotContain("abcdef");
    SshSettings inventoryWins = Connections.settings("gpu1", Map.of("ansible_ssh_pass", "inv-pw"),
        options(Map.of("PLUMB_SSH_PASSWORD", "env-pw")));
    assertThat(inventoryWins.password()).isEqualTo("inv-pw");
  }

  @Test
  void settings_commonArgs_proxyJumpAndAcceptNew() {
    SshSettings s = Connections.settings("gpu1", Map.of("ansible_host", "10.0.0.9", "ansible_ssh_common_args",
        "-o ProxyJump=jump@bastion:2200 -o StrictHostKeyChecking=accept-new -o ServerAliveInterval=5"),
        options(Map.of()));
    assertThat(s.proxyJump().destination()).isEqualTo("jump@bastion:2200");
    assertThat(s.acceptNewHostKeys()).isTrue();
    assertThat(s.proxyJump().acceptNewHostKeys()).isTrue();

    SshSettings j = Connections.settings("gpu1", Map.of("ansible_ssh_common_args", "-J 'ops@bastion'"),
        options(Map.of()));
    assertThat(j.proxyJump().destination()).isEqualTo("ops@bastion:22");
    assertThat(j.acceptNewHostKeys()).isFalse();
  }

  @Test
  void settings_agentSocketFromEnvironment_identitiesOnlyFromCommonArgs() {
    SshSettings s = Connections.settings("gpu1",
        Map.of("ansible_ssh_common_args", "-o IdentitiesOnly=yes"),
        options(Map.of("SSH_AUTH_SOCK", "/tmp/agent.1234/agent.sock")));
    assertThat(s.agentSocket()).isEqualTo(Path.of("/tmp/agent.1234/agent.sock"));
    assertThat(s.identitiesOnly()).isTrue();
    SshSettings none = Connections.settings("gpu1", Map.of(), options(Map.of()));
    assertThat(none.agentSocket()).isNull();
    assertThat(none.identitiesOnly()).isFalse();
  }

  @Test
  void settings_optionsOverride() {
    TransportOptions o = options(Map.of()).withAcceptNewHostKeys(true).withConnectTimeout(Duration.ofSeconds(2));
    SshSettings s = Connections.settings("gpu1", Map.of("connect_timeout", "30"), o);
    assertThat(s.acceptNewHostKeys()).isTrue();
    assertThat(s.connectTimeout()).hasSeconds(2);
  }

  @Test
  void settings_badValues_nameVariableAndValue() {
    assertThatThrownBy(() -> Connections.settings("gpu1", Map.of("ansible_port", "ssh"), options(Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ansible_port").hasMessageContaining("'ssh'").hasMessageContaining("gpu1");
    assertThatThrownBy(() -> Connections.settings("gpu1", Map.of("port", "0"), options(Map.of())))
        .hasMessageContaining("port").hasMessageContaining("between 1 and 65535");
    assertThatThrownBy(() -> Connections.settings("gpu1", Map.of("become", "maybe"), options(Map.of())))
        .hasMessageContaining("become").hasMessageContaining("'maybe'");
    assertThatThrownBy(() -> Connections.settings("gpu1", Map.of("connect_timeout", "soon"), options(Map.of())))
        .hasMessageContaining("connect_timeout").hasMessageContaining("'soon'");
  }

  @Test
  void options_toString_hidesEnvironment() {
    assertThat(options(Map.of("PLUMB_SSH_PASSWORD", "zzz-secret")).toString()).doesNotContain("zzz-secret");
  }
}

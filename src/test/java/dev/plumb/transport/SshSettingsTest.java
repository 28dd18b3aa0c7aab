package dev.plumb.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshSettingsTest {
  @TempDir Path dir;
  Path config;

  @BeforeEach
  void writeConfig() throws Exception {
    config = dir.resolve("config");
    Files.writeString(config, String.join("\n",
        "Host gpu1 gpu1.lab",
        "  HostName 10.0.0.5",
        "  User admin",
        "  Port 2200",
        "  IdentityFile " + dir.resolve("gpu_key"),
        "  ProxyJump jumper@bastion:2222",
        "",
        "Host bastion",
        "  HostName 192.0.2.10",
        "",
        "Host gpu*",
        "  User fallback",
        "  Port 2999",
        ""));
  }

  private SshSettings.Builder builder(String host) {
    return SshSettings.builder(host).sshConfig(config).defaultKeyDir(null).localUser("me");
  }

  @Test
  void sshConfig_hostAlias_appliesHostNameUserPortIdentityFileAndProxyJump() {
    SshSettings s = builder("gpu1").build();
    assertThat(s.address()).isEqualTo("10.0.0.5");
    assertThat(s.user()).isEqualTo("admin");
    assertThat(s.port()).isEqualTo(2200);
    assertThat(s.identityFiles()).containsExactly(dir.resolve("gpu_key"));
    assertThat(s.proxyJump()).isNotNull();
    assertThat(s.proxyJump().destination()).isEqualTo("jumper@192.0.2.10:2222");
  }

  @Test
  void sshConfig_explicitInventoryValuesWin() {
    Path key = dir.resolve("inventory_key");
    SshSettings s = builder("gpu1").user("root").port(22).identityFile(key).proxyJump("none").build();
    assertThat(s.address()).isEqualTo("10.0.0.5");
    assertThat(s.user()).isEqualTo("root");
    assertThat(s.port()).isEqualTo(22);
    assertThat(s.identityFiles()).containsExactly(key, dir.resolve("gpu_key"));
    assertThat(s.proxyJump()).isNull();
  }

  @Test
  void sshConfig_explicitAddress_isWhatTheConfigIsMatchedAgainst() {
    SshSettings s = builder("inventory-name").address("gpu1.lab").build();
    assertThat(s.address()).isEqualTo("gpu1.lab");
    assertThat(s.user()).isEqualTo("admin");
    assertThat(s.port()).isEqualTo(2200);
  }

  @Test
  void sshConfig_noMatch_usesDefaults() {
    SshSettings s = builder("other").build();
    assertThat(s.address()).isEqualTo("other");
    assertThat(s.user()).isEqualTo("me");
    assertThat(s.port()).isEqualTo(22);
    assertThat(s.proxyJump()).isNull();
    assertThat(s.connectTimeout()).hasSeconds(10);
    assertThat(s.commandTimeout()).hasMinutes(10);
    assertThat(s.becomeUser()).isEqualTo("root");
  }

  @Test
  void sshConfig_missingFile_isNoConfig() {
    SshSettings s = SshSettings.builder("gpu1").sshConfig(dir.resolve("absent")).defaultKeyDir(null)
        .localUser("me").build();
    assertThat(s.address()).isEqualTo("gpu1");
  }

  @Test
  void defaultKeys_existingOnesFollowExplicitKeys() throws Exception {
    Path sshDir = Files.createDirectory(dir.resolve("ssh"));
    Files.writeString(sshDir.resolve("id_rsa"), "x");
    Files.writeString(sshDir.resolve("id_ed25519"), "x");
    Path explicit = dir.resolve("k");
    SshSettings s = SshSettings.builder("h").defaultKeyDir(sshDir).identityFile(explicit).localUser("me").build();
    assertThat(s.identityFiles()).containsExactly(explicit, sshDir.resolve("id_ed25519"), sshDir.resolve("id_rsa"));
  }

  @Test
  void proxyJump_spec_chainAndIpv6() {
    SshSettings s = builder("h").proxyJump("a@first:2201,[::1]:2202").build();
    assertThat(s.proxyJump().destination()).isEqualTo("me@::1:2202");
    assertThat(s.proxyJump().proxyJump().destination()).isEqualTo("a@first:2201");
  }

  @Test
  void proxyJump_badPort_namesTheValue() {
    assertThatThrownBy(() -> builder("h").proxyJump("bastion:22x").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ProxyJump (bastion:22x)").hasMessageContaining("22x");
  }

  @Test
  void port_outOfRange_isRejected() {
    assertThatThrownBy(() -> builder("h").port(70000).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
  }

  @Test
  void sshConfig_identityFileTokens_expandAfterHostNameAndUserAreKnown() throws Exception {
    Files.writeString(config, String.join("\n",
        "Host web",
        "  HostName web.example",
        "  User deploy",
        "  Port 2022",
        "  IdentityFile ~/keys/%n_%h_%r_%u_%p_%%",
        ""));
    SshSettings s = builder("web").build();
    assertThat(s.identityFiles()).containsExactly(
        Path.of(System.getProperty("user.home"), "keys", "web_web.example_deploy_me_2022_%"));
    Files.writeString(config, "Host web\n  IdentityFile /k/%C\n");
    assertThatThrownBy(() -> builder("web").build()).hasMessageContaining("token %C is not supported");
  }

  @Test
  void sshConfig_identitiesOnlyAndIdentityAgent_explicitValuesWin() throws Exception {
    Files.writeString(config, String.join("\n",
        "Host quiet",
        "  IdentitiesOnly yes",
        "  IdentityAgent none",
        "Host other-agent",
        "  IdentityAgent /run/other.sock",
        "Host env-agent",
        "  IdentityAgent SSH_AUTH_SOCK",
        ""));
    Path envSocket = dir.resolve("agent.sock");
    SshSettings quiet = builder("quiet").agentSocket(envSocket).build();
    assertThat(quiet.identitiesOnly()).isTrue();
    assertThat(quiet.agentSocket()).isNull();
    assertThat(builder("quiet").identitiesOnly(false).build().identitiesOnly()).isFalse();
    assertThat(builder("other-agent").agentSocket(envSocket).build().agentSocket()).isEqualTo(Path.of("/run/other.sock"));
    assertThat(builder("env-agent").agentSocket(envSocket).build().agentSocket()).isEqualTo(envSocket);
    assertThat(builder("unlisted").agentSocket(envSocket).build().identitiesOnly()).isFalse();
  }

  @Test
  void sshConfig_matchBlock_warnsOnceAndIsIgnored() throws Exception {
    Files.writeString(config, "Match user admin\n  Port 1\nHost *\n  Port 2\n");
    java.util.List<String> warnings = new java.util.ArrayList<>();
    SshSettings s = builder("h").warnings(warnings::add).build();
    assertThat(s.port()).isEqualTo(2);
    assertThat(warnings).singleElement().asString().startsWith(config + ":1: Match is not supported");
  }
}

package dev.plumb.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ssh_config(5) as ssh(1) reads it, checked against its documented semantics and against `ssh -G`. */
class SshConfigTest {
  @TempDir Path dir;
  private final List<String> warnings = new ArrayList<>();

  private SshConfig.Options lookup(String config, String host) throws Exception {
    Path file = Files.writeString(dir.resolve("config"), config);
    return new SshConfig(file, dir, warnings::add).lookup(host);
  }

  @Test
  void matches_wildcardsNegationAndCase() {
    assertThat(SshConfig.matches("gpu12.lab", List.of("gpu*"))).isTrue();
    assertThat(SshConfig.matches("gpu12.lab", List.of("gpu?.lab"))).isFalse();
    assertThat(SshConfig.matches("gpu1.lab", List.of("gpu?.lab"))).isTrue();
    // Case counts, in the name and in the pattern (found by the ssh -G comparison below).
    assertThat(SshConfig.matches("gpu1.lab", List.of("GPU1.LAB"))).isFalse();
    assertThat(SshConfig.matches("GPU1.lab", List.of("gpu*"))).isFalse();
    assertThat(SshConfig.matches("gpu1.lab", List.of("other", "*.lab"))).isTrue();
    // A negated pattern that matches wins over every other; alone it matches nothing.
    assertThat(SshConfig.matches("gpu1.lab", List.of("*.lab", "!gpu1*"))).isFalse();
    assertThat(SshConfig.matches("gpu2.lab", List.of("*.lab", "!gpu1*"))).isTrue();
    assertThat(SshConfig.matches("gpu2.lab", List.of("!gpu1*"))).isFalse();
    assertThat(SshConfig.glob("a*b*c", "a**c")).isTrue();
    assertThat(SshConfig.glob("abc", "*?*?*?*")).isTrue();
    assertThat(SshConfig.glob("ab", "*?*?*?*")).isFalse();
    assertThat(SshConfig.glob("", "*")).isTrue();
    assertThat(SshConfig.glob("a.b", "a?b")).isTrue();
    assertThat(SshConfig.glob("a[b]", "a[b]")).isTrue(); // no character classes in ssh_config
  }

  @Test
  void lookup_firstObtainedValueWins_globalsApplyToAll_identityFilesAccumulate() throws Exception {
    String config = """
        # global: before any Host
        IdentityFile /keys/global
        Port 2201

        Host gpu1
          User first
          IdentityFile /keys/gpu1
        Host gpu*
          User second
          Port 2299
          HostName %h.example
          IdentityFile /keys/gpu-all
        Host *
          User last
        """;
    SshConfig.Options gpu1 = lookup(config, "gpu1");
    assertThat(gpu1.get("user")).isEqualTo("first");
    assertThat(gpu1.get("Port")).isEqualTo("2201");
    assertThat(gpu1.all("IdentityFile")).containsExactly("/keys/global", "/keys/gpu1", "/keys/gpu-all");
    SshConfig.Options other = lookup(config, "db1");
    assertThat(other.get("User")).isEqualTo("last");
    assertThat(other.get("HostName")).isNull();
    assertThat(other.all("IdentityFile")).containsExactly("/keys/global");
  }

  @Test
  void words_equalsSignsQuotesAndComments() {
    assertThat(SshConfig.words("  Port=2222", "f:1")).containsExactly("Port", "2222");
    assertThat(SshConfig.words("Port = 2222", "f:1")).containsExactly("Port", "2222");
    assertThat(SshConfig.words("IdentityFile \"/a b/key\" /c  # the keys", "f:1"))
        .containsExactly("IdentityFile", "/a b/key", "/c");
    assertThat(SshConfig.words("   # only a comment", "f:1")).isEmpty();
    assertThat(SshConfig.words("", "f:1")).isEmpty();
    assertThatThrownBy(() -> SshConfig.words("IdentityFile \"/a b", "cfg:7"))
        .hasMessage("cfg:7: unclosed quote in the ssh config");
  }

  @Test
  void lookup_matchBlock_isIgnoredWithAWarningNamingFileAndLine() throws Exception {
    SshConfig.Options o = lookup("""
        Match host gpu1
          User from-match
        Host gpu1
          Port 2200
        """, "gpu1");
    assertThat(o.get("User")).isNull();
    assertThat(o.get("Port")).isEqualTo("2200");
    assertThat(warnings).containsExactly(dir.resolve("config") + ":1: Match is not supported by plumb;"
        + " the options of this block are ignored (use Host blocks, or set the values in the inventory)");
  }

  @Test
  void lookup_include_globRelativeToTheSshDir_onlyInsideAMatchingBlock() throws Exception {
    Files.createDirectories(dir.resolve("conf.d"));
    Files.writeString(dir.resolve("conf.d/10-users"), "User from-include\nHost never-this\nPort 1111\n");
    Files.writeString(dir.resolve("conf.d/20-ports"), "Port 2020\n");
    Files.writeString(dir.resolve("only-gpu"), "IdentityFile /keys/only-gpu\n");
    String config = """
        Include conf.d/*
        Host gpu*
          Include only-gpu
        Host *
          Port 9999
        """;
    SshConfig.Options gpu = lookup(config, "gpu1");
    assertThat(gpu.get("User")).isEqualTo("from-include");
    // conf.d/10-users' Host line ends that file's global part; 20-ports starts with all hosts again.
    assertThat(gpu.get("Port")).isEqualTo("2020");
    assertThat(gpu.all("IdentityFile")).containsExactly("/keys/only-gpu");
    assertThat(lookup(config, "db1").all("IdentityFile")).isEmpty();
  }

  @Test
  void lookup_missingFile_isEmpty() {
    assertThat(new SshConfig(dir.resolve("absent"), dir, warnings::add).lookup("x").values()).isEmpty();
  }

  // The same config read by OpenSSH's own client: `ssh -G` prints what it obtained for a host.
  @Test
  void lookup_agreesWithSshDashG() throws Exception {
    Files.writeString(dir.resolve("included"), "Host inc*\n  User included-user\n  Port 2323\n");
    String config = """
        Include %s
        Host bastion
          HostName 192.0.2.10
          User jumper
        Host gpu1 gpu1.lab
          HostName 10.0.0.5
          User admin
          Port=2200
          IdentityFile /keys/gpu1
          ProxyJump jumper@bastion:2222
          IdentitiesOnly yes
        Match host nothing-here-matches
          User from-match
        Host gpu* !gpu9*
          User fallback
          Port 2999
          IdentityFile "/keys/with space"
          ConnectTimeout 7
          ServerAliveInterval 15
        Host *.LAB
          IdentityFile /keys/upper-case-pattern-matches-nothing
        Host *.lab
          UserKnownHostsFile /kh/one /kh/two
        Host *
          StrictHostKeyChecking accept-new
        """.formatted(dir.resolve("included"));
    Path file = Files.writeString(dir.resolve("config"), config);
    SshConfig parsed = new SshConfig(file, dir, warnings::add);
    for (String host : List.of("gpu1", "gpu1.lab", "GPU2.lab", "gpu9.lab", "inc1", "bastion", "other")) {
      Map<String, List<String>> ssh = sshDashG(file, host);
      SshConfig.Options ours = parsed.lookup(host);
      for (String single : List.of("hostname", "user", "port", "proxyjump", "identitiesonly", "connecttimeout",
          "serveraliveinterval", "stricthostkeychecking")) {
        if (ours.get(single) != null) {
          assertThat(ssh.get(single)).as(host + " " + single).containsExactly(ours.get(single).toLowerCase());
        }
      }
      if (ours.get("hostname") == null) {
        assertThat(ssh.get("hostname")).as(host + " hostname").containsExactly(host.toLowerCase());
      }
      if (!ours.all("identityfile").isEmpty()) {
        assertThat(ssh.get("identityfile")).as(host + " identityfile").isEqualTo(ours.all("identityfile"));
      }
      if (!ours.all("userknownhostsfile").isEmpty()) {
        assertThat(String.join(" ", ssh.get("userknownhostsfile")))
            .as(host + " userknownhostsfile").isEqualTo(String.join(" ", ours.all("userknownhostsfile")));
      }
    }
    assertThat(parsed.lookup("gpu9.lab").get("user")).isNull();
    assertThat(parsed.lookup("gpu2.lab").get("user")).isEqualTo("fallback");
    assertThat(parsed.lookup("inc1").get("user")).isEqualTo("included-user");
    assertThat(parsed.lookup("gpu1.lab").all("identityfile")).containsExactly("/keys/gpu1", "/keys/with space");
    assertThat(parsed.lookup("GPU2.lab").get("user")).isNull();
    assertThat(parsed.lookup("gpu2.lab").all("userknownhostsfile")).containsExactly("/kh/one", "/kh/two");
  }

  /** {@code ssh -G -F FILE HOST}: keyword to its values, one line each. */
  private static Map<String, List<String>> sshDashG(Path config, String host) throws Exception {
    Process p = new ProcessBuilder("ssh", "-G", "-F", config.toString(), host).redirectErrorStream(false).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("ssh -G " + host + ": " + err).isZero();
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0) {
        values.computeIfAbsent(line.substring(0, space), k -> new ArrayList<>()).add(line.substring(space + 1));
      }
    }
    return values;
  }
}

package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plumb drift adopt on this machine (local connection): the patch declares what the host has, in
 * the file that declares each value (the playbook, or group_vars through {{ var }}); git apply
 * takes it, check is then clean, and the host's files are untouched.
 */
class AdoptEndToEndTest {
  @TempDir Path dir;
  Path inventory;
  Path playbook;
  Path line;
  Path ini;
  Path motd;

  @BeforeEach
  void setUp() throws Exception {
    line = Files.writeString(dir.resolve("sysctl.conf"), "# hi\nvm.swappiness = 10\n");
    ini = Files.writeString(dir.resolve("nova.conf"), "[DEFAULT]\ncpu_allocation_ratio = 4.0\n");
    motd = Files.writeString(dir.resolve("motd"), "welcome\n");
    inventory = Files.writeString(dir.resolve("hosts.yml"), """
        all:
          vars: {ansible_connection: local}
          hosts: {gpu1: {}, gpu2: {}}
        """);
    Files.createDirectories(dir.resolve("group_vars"));
    Files.writeString(dir.resolve("group_vars/all.yml"), "# the fleet's ratio\ncpu_ratio: '4.0'   # reviewed\nother: x\n");
    playbook = Files.writeString(dir.resolve("play.yml"), """
        - hosts: all
          vars: {greeting: hi}
          resources:
            - line: {path: %s, regexp: '^vm.swappiness', line: 'vm.swappiness = 10'}
            - ini:
                path: %s
                section: DEFAULT
                option: cpu_allocation_ratio
                value: "{{ cpu_ratio }}"
            - file:
                path: %s
                content: |
                  welcome
            - line: {path: %s, regexp: '^# ', line: '# {{ greeting }}'}
              name: comment
        """.formatted(line, ini, motd, line));
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("fleet").setSign(false).call();
    }
  }

  @Test
  void adopt_patchAppliesWithGitApply_checkIsThenClean_hostUntouched() throws Exception {
    Files.writeString(line, "# hi\nvm.swappiness = 60\n");
    Files.writeString(ini, "[DEFAULT]\ncpu_allocation_ratio = 16.0\n");
    Files.writeString(motd, "welcome\nno: maintenance tonight\n");
    assertThat(Cli.run("check", "-i", inventory.toString(), playbook.toString()).exit()).isEqualTo(2);
    long[] mtimes = {Files.getLastModifiedTime(line).toMillis(), Files.getLastModifiedTime(ini).toMillis()};

    Cli adopt = Cli.run("drift", "adopt", "-i", inventory.toString(), playbook.toString(), "gpu1");

    assertThat(adopt.exit()).as(adopt.toString()).isZero();
    assertThat(adopt.out()).contains("--- a/play.yml\n+++ b/play.yml\n", "--- a/group_vars/all.yml\n+++ b/group_vars/all.yml\n",
        "-cpu_ratio: '4.0'   # reviewed\n+cpu_ratio: '16.0'   # reviewed\n",
        "-    - line: {path: " + line + ", regexp: '^vm.swappiness', line: 'vm.swappiness = 10'}\n"
            + "+    - line: {path: " + line + ", regexp: '^vm.swappiness', line: 'vm.swappiness = 60'}\n",
        "+          no: maintenance tonight\n");
    assertThat(adopt.err()).contains("adopted: ini[cpu_allocation_ratio] value at " + dir.resolve("group_vars/all.yml") + ":2:12");
    assertThat(Files.readString(line)).as("the host is untouched").isEqualTo("# hi\nvm.swappiness = 60\n");
    assertThat(Files.getLastModifiedTime(line).toMillis()).isEqualTo(mtimes[0]);
    assertThat(Files.getLastModifiedTime(ini).toMillis()).isEqualTo(mtimes[1]);
    assertThat(Files.readString(dir.resolve("play.yml"))).as("adopt writes nothing").doesNotContain("= 60");

    Path patch = Files.writeString(dir.resolve("adopt.patch"), adopt.out());
    Process git = new ProcessBuilder("git", "apply", "--check", patch.toString()).directory(dir.toFile())
        .redirectErrorStream(true).start();
    String gitOut = new String(git.getInputStream().readAllBytes());
    assertThat(git.waitFor()).as(gitOut).isZero();
    git = new ProcessBuilder("git", "apply", patch.toString()).directory(dir.toFile()).redirectErrorStream(true).start();
    assertThat(git.waitFor()).isZero();

    Cli check = Cli.run("check", "-i", inventory.toString(), playbook.toString());
    assertThat(check.exit()).as(check.toString()).isZero();
  }

  @Test
  void adopt_aTemplateMixingTextAndAPlayVariable_isRefusedWithItsPlace_exit2() throws Exception {
    Files.writeString(line, "# bye\nvm.swappiness = 10\n");
    Cli adopt = Cli.run("drift", "adopt", "-i", inventory.toString(), playbook.toString(), "gpu2", "line[comment]");
    assertThat(adopt.exit()).as(adopt.toString()).isEqualTo(2);
    assertThat(adopt.out()).isEmpty();
    assertThat(adopt.err()).contains("not adopted: line[comment] line: declared at " + playbook + ":14:")
        .contains("as the template '# {{ greeting }}'; edit it by hand");
  }

  @Test
  void adopt_aConvergedHost_printsNothing_exit0() {
    Cli adopt = Cli.run("drift", "adopt", "-i", inventory.toString(), playbook.toString(), "gpu1");
    assertThat(adopt.exit()).as(adopt.toString()).isZero();
    assertThat(adopt.out()).isEmpty();
    assertThat(adopt.err()).contains("gpu1: nothing to adopt");
  }

  @Test
  void adopt_unknownResourceOrHost_exit1_beforeAnyHostIsContacted() throws Exception {
    // Hosts over SSH at a port that refuses: had adopt contacted one, it would say unreachable, exit 3.
    Path refusing = Files.writeString(dir.resolve("refusing.yml"), """
        all:
          vars: {ansible_host: 127.0.0.1, ansible_port: 1}
          hosts: {gpu1: {}, gpu2: {}}
        """);
    Cli resource = Cli.run("drift", "adopt", "-i", refusing.toString(), playbook.toString(), "gpu1", "ini[cpu_allocation_rati]");
    assertThat(resource.exit()).as(resource.toString()).isEqualTo(1);
    assertThat(resource.err()).contains("has no resource ini[cpu_allocation_rati]", "did you mean 'ini[cpu_allocation_ratio]'?")
        .doesNotContain("unreachable", "refused");
    Cli host = Cli.run("drift", "adopt", "-i", refusing.toString(), playbook.toString(), "gpu9");
    assertThat(host.exit()).as(host.toString()).isEqualTo(1);
    assertThat(host.err()).contains("gpu9").doesNotContain("unreachable", "refused");
  }
}

package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan --against REF: only what the work tree changes relative to REF, grouped, with REF read from git (no checkout). */
class AgainstTest {
  @TempDir Path dir;
  Path inventory;
  Path playbook;
  Git git;

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(dir.resolve("grub"), "GRUB_CMDLINE_LINUX=\"\"\n");
    inventory = Files.writeString(dir.resolve("hosts.yml"), """
        all:
          vars: {ansible_connection: local}
          hosts: {gpu1: {}, gpu2: {}, gpu3: {}, gpu4: {}}
        """);
    playbook = Files.writeString(dir.resolve("play.yml"), play("1b80"));
    git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    git.add().addFilepattern("play.yml").addFilepattern("hosts.yml").call();
    git.commit().setMessage("fleet").setSign(false).call();
    git.checkout().setCreateBranch(true).setName("new-card").call();
    Files.writeString(playbook, play("1e04"));
    git.add().addFilepattern("play.yml").call();
    git.commit().setMessage("the new card").setSign(false).call();
  }

  private String play(String device) {
    return """
        - hosts: all
          vars: {device: "%2$s"}
          resources:
            - line: {path: %1$s/grub, regexp: '^GRUB_CMDLINE_LINUX=', line: 'GRUB_CMDLINE_LINUX="intel_iommu=on"'}
              name: iommu
            - file:
                path: %1$s/vfio.conf
                content: "options vfio-pci ids=10de:{{ device }}\\n"
              name: vfio
        """.formatted(dir, device);
  }

  @Test
  void against_aBranchChangingOneValue_showsOneGroupWithExactlyThatChange() throws Exception {
    Cli plan = Cli.run("plan", "--no-color", "--detailed-exitcode", "--against", "main", "-i", inventory.toString(),
        playbook.toString());
    assertThat(plan.exit()).as(plan.toString()).isEqualTo(2);
    assertThat(plan.out()).contains("Against main (")
        .contains("\n4 hosts: gpu1…gpu4  1 altered\n  ~ file[vfio]  (altered: create")
        .contains("-options vfio-pci ids=10de:1b80\n", "+options vfio-pci ids=10de:1e04\n")
        .contains("Difference: 0 added, 4 altered, 0 removed, on 4 of 4 hosts.")
        .doesNotContain("line[iommu]");
    var status = git.status().call();
    assertThat(status.hasUncommittedChanges()).as("work tree and index untouched").isFalse();
    assertThat(status.getUntracked()).containsExactly("grub");
    assertThat(git.getRepository().getBranch()).isEqualTo("new-card");
  }

  @Test
  void against_itself_showsNoDifference_andExits0() {
    Cli plan = Cli.run("plan", "--no-color", "--detailed-exitcode", "--against", "HEAD", "-i", inventory.toString(),
        playbook.toString());
    assertThat(plan.exit()).as(plan.toString()).isZero();
    assertThat(plan.out()).contains("4 hosts: gpu1…gpu4  no difference");
  }

  @Test
  void against_anUncommittedRemoval_showsItRemoved_andMarkdownAndJsonSayTheSame() throws Exception {
    Files.writeString(playbook, Files.readString(playbook).replaceAll("(?s)    - file:.*", ""));
    Cli md = Cli.run("plan", "--format", "markdown", "--against", "main", "-i", inventory.toString(), playbook.toString());
    assertThat(md.exit()).as(md.toString()).isZero();
    assertThat(md.out()).contains("| 4 hosts: gpu1…gpu4 | 1 removed |", "<details><summary><b>4 hosts: gpu1…gpu4</b>: 1 removed",
        "- file[vfio]  (removed: at the ref it would create");
    Cli json = Cli.run("plan", "--format", "json", "--against", "main", "-i", inventory.toString(), playbook.toString());
    assertThat(json.out()).contains("\"name\": \"gpu4\"", "\"kind\": \"removed\"", "\"ref\": \"main\"");
  }

  @Test
  void against_anUnknownRef_saysWhatItTakes() {
    Cli plan = Cli.run("plan", "--against", "nope", "-i", inventory.toString(), playbook.toString());
    assertThat(plan.exit()).isEqualTo(1);
    assertThat(plan.err()).contains("'nope' names no commit");
  }
}

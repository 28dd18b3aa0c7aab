package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Fact;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plan -o / apply FILE on three local hosts (each its own files): a host whose fact moved is
 * refused with the diff, the others run as saved; a changed source file refuses the whole plan
 * before any host is contacted; secrets never reach the file.
 */
class SavedPlanTest {
  @TempDir Path dir;
  Path inventory;
  Path playbook;
  Path plan;

  @BeforeEach
  void setUp() throws Exception {
    for (String h : new String[] {"a", "b", "c"}) {
      Files.writeString(dir.resolve(h + ".grub"), "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"\"\n");
    }
    inventory = Files.writeString(dir.resolve("hosts.yml"), """
        all:
          vars: {ansible_connection: local}
          hosts: {a: {}, b: {}, c: {}}
        """);
    playbook = Files.writeString(dir.resolve("play.yml"), """
        - hosts: all
          vars:
            token: tok-0123456789abc
          sensitive: [token]
          resources:
            - line:
                path: %1$s/{{ inventory_hostname }}.grub
                regexp: '^GRUB_CMDLINE_LINUX='
                line: 'GRUB_CMDLINE_LINUX="intel_iommu=on"'
              name: iommu
            - file:
                path: %1$s/{{ inventory_hostname }}.token
                content: "token={{ token }}\\n"
              name: token
        """.formatted(dir));
    plan = dir.resolve("plan.json");
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern("play.yml").addFilepattern("hosts.yml").call();
      git.commit().setMessage("fleet").setSign(false).call();
    }
  }

  // The three hosts are this machine, which has one apply lease: --forks 1 applies them in turn.
  private Cli savePlan() {
    Cli saved = Cli.run("plan", "--no-color", "-o", plan.toString(), "-i", inventory.toString(), playbook.toString());
    assertThat(saved.exit()).as(saved.toString()).isZero();
    assertThat(saved.err()).contains("plan saved to " + plan);
    return saved;
  }

  @Test
  void apply_afterAHandEditOnOneHost_refusesItWithTheDiff_appliesTheOthersAsSaved_exits3() throws Exception {
    savePlan();
    Files.writeString(dir.resolve("b.grub"), "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"quiet\"\n");

    Cli apply = Cli.run("apply", "--no-color", "--no-record", "--forks", "1", plan.toString());
    assertThat(apply.exit()).as(apply.toString()).isEqualTo(3);
    assertThat(apply.out()).contains("refused: 1 fact of b moved since the plan was saved",
        dir.resolve("b.grub") + " moved:", "-GRUB_CMDLINE_LINUX=\"\"", "+GRUB_CMDLINE_LINUX=\"quiet\"");
    assertThat(Files.readString(dir.resolve("b.grub"))).as("refused host untouched").contains("quiet");
    assertThat(Files.exists(dir.resolve("b.token"))).isFalse();
    for (String h : new String[] {"a", "c"}) {
      assertThat(Files.readString(dir.resolve(h + ".grub"))).contains("GRUB_CMDLINE_LINUX=\"intel_iommu=on\"");
      assertThat(Files.readString(dir.resolve(h + ".token"))).as("withheld command made again").isEqualTo("token=tok-0123456789abc\n");
    }
  }

  @Test
  void savedPlan_holdsNoSecret_butTheExactCommandsOfTheOthers() throws Exception {
    savePlan();
    String text = Files.readString(plan);
    assertThat(text).doesNotContain("tok-0123456789abc", "dG9rLTAxMjM0NTY3ODlhYmM") // base64 of the token
        .contains("\"saved_plan\": 1", "\"plumb_version\"", "\"commit\": \"", "\"dirty\": false", "\"withheld_sha256\"")
        .contains("\"path\": \"" + playbook + "\"", "\"file\": \"" + dir.resolve("a.grub") + "\"", "\"digest\": \"sha256:")
        .contains("\"argv\": [", "plumb-write");
  }

  @Test
  void apply_afterThePlaybookChanged_refusesBeforeContactingAnyHost_namingTheFile() throws Exception {
    savePlan();
    Files.writeString(playbook, Files.readString(playbook).replace("intel_iommu=on", "intel_iommu=off"));
    Cli apply = Cli.run("apply", "--no-color", "--no-record", "--forks", "1", plan.toString());
    assertThat(apply.exit()).as(apply.toString()).isEqualTo(1);
    assertThat(apply.err()).contains("refused: " + plan + " is stale: " + playbook + " changed since the plan was saved",
        "no host was contacted");
    assertThat(Files.readString(dir.resolve("a.grub"))).contains("GRUB_CMDLINE_LINUX=\"\"");
  }

  @Test
  void apply_unchanged_runsEveryHostAsSaved_exits0() throws Exception {
    savePlan();
    Cli apply = Cli.run("apply", "--no-color", "--no-record", "--forks", "1", plan.toString());
    assertThat(apply.exit()).as(apply.toString()).isZero();
    // Each host has its own files, so each has its own block.
    assertThat(apply.out()).contains("a  changed, verified", "b  changed, verified", "c  changed, verified");
    assertThat(Files.readString(dir.resolve("c.token"))).isEqualTo("token=tok-0123456789abc\n");
  }

  @Test
  void savedPlan_keepsAGlobFact_soApplyComparesIt() throws Exception {
    // kernel_cmdline reads /etc/default/grub.d/*.cfg as one glob fact; planning reads, never writes.
    Path grubPlay = Files.writeString(dir.resolve("cmdline.yml"), """
        - hosts: localhost
          resources:
            - kernel_cmdline: {present: [iommu=pt]}
              name: iommu
        """);
    Cli saved = Cli.run("plan", "--no-color", "-o", plan.toString(), grubPlay.toString());
    assertThat(saved.exit()).as(saved.toString()).isZero();

    SavedPlan.SavedHost host = SavedPlan.read(plan).hosts().get("localhost");
    assertThat(host.facts()).containsKey(Fact.files("/etc/default/grub.d/*.cfg"))
        .allSatisfy((fact, digest) -> assertThat(fact).isNotEqualTo(Fact.command(null)));
  }

  @Test
  void apply_ofAFileThatIsNotASavedPlan_saysSo() throws Exception {
    Path other = Files.writeString(dir.resolve("x.json"), "{\"a\": 1}");
    Cli apply = Cli.run("apply", other.toString());
    assertThat(apply.exit()).isEqualTo(1);
    assertThat(apply.err()).contains("is not a saved plan", "plumb plan -o FILE");
  }
}

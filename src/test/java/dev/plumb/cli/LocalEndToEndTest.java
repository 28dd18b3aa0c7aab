package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plan / apply / check end to end on the local connection, in a temp directory: the same engine,
 * fact script and commands as over SSH, with /bin/sh on this machine.
 */
class LocalEndToEndTest {
  @TempDir Path dir;
  Path playbook;
  Path grub;
  Path nova;
  Path marker;

  @BeforeEach
  void setUp() throws Exception {
    grub = Files.writeString(dir.resolve("grub"), "# defaults\nGRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"\"\nGRUB_TIMEOUT=5\n");
    nova = Files.writeString(dir.resolve("nova.conf"), "[DEFAULT]\n# keep me\ndebug = false\n");
    marker = dir.resolve("initramfs-rebuilt");
    playbook = Files.writeString(dir.resolve("play.yml"), """
        - hosts: localhost
          vars:
            ids: "10de:1b80,10de:10f0"
          resources:
            - file:
                path: %1$s/vfio.conf
                content: "options vfio-pci ids={{ ids }}\\n"
              name: vfio
              notify: rebuild
            - line:
                path: %2$s
                regexp: '^GRUB_CMDLINE_LINUX='
                line: 'GRUB_CMDLINE_LINUX="intel_iommu=on iommu=pt"'
              name: grub-iommu
            - ini:
                path: %3$s
                section: pci
                option: alias
                value: '{"vendor_id": "10de", "product_id": "1b80", "name": "nvidia"}'
              name: nova-alias
          handlers:
            - command:
                argv: [touch, %4$s]
              name: rebuild
        """.formatted(dir, grub, nova, marker));
  }

  private Cli plumb(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--no-color";
    all[args.length + 1] = playbook.toString();
    return Cli.run(all);
  }

  @Test
  void plan_freshHost_showsEveryChangeWithDiffAndCommands_andExits2WithDetailedExitcode() {
    Cli plan = plumb("plan", "--detailed-exitcode");
    assertThat(plan.exit()).as(plan.toString()).isEqualTo(2);
    assertThat(plan.out())
        .contains("+ file[vfio]", "~ line[grub-iommu]", "~ ini[nova-alias]", "! command[rebuild]")
        .contains("-GRUB_CMDLINE_LINUX=\"\"", "+GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"")
        .contains("+options vfio-pci ids=10de:1b80,10de:10f0")
        .contains("plumb-write " + grub)
        .contains("notified by file[vfio]")
        .contains("Plan: 1 to create, 2 to update, 0 to delete, 1 to run");
    assertThat(Files.exists(dir.resolve("vfio.conf"))).as("plan changes nothing").isFalse();
  }

  @Test
  void apply_converges_thenASecondApplyRunsNothing_andCheckExits0() throws Exception {
    Cli first = plumb("apply");
    assertThat(first.exit()).as(first.toString()).isZero();
    assertThat(Files.readString(dir.resolve("vfio.conf"))).isEqualTo("options vfio-pci ids=10de:1b80,10de:10f0\n");
    assertThat(Files.readString(grub)).isEqualTo("# defaults\nGRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"\nGRUB_TIMEOUT=5\n");
    assertThat(Files.readString(nova)).startsWith("[DEFAULT]\n# keep me\ndebug = false\n").contains("[pci]\nalias = ");
    assertThat(marker).as("the notified handler ran").exists();
    Files.delete(marker);

    Cli second = plumb("apply", "--format", "json");
    assertThat(second.exit()).as(second.toString()).isZero();
    assertThat(second.out()).contains("\"outcome\": \"converged\"", "\"execs\": 1").doesNotContain("\"commands_run\": 1");
    assertThat(marker).as("an unchanged notifier does not run its handler").doesNotExist();

    Cli check = plumb("check");
    assertThat(check.exit()).as(check.toString()).isZero();
    assertThat(check.out()).contains("localhost  ok");
  }

  @Test
  void check_afterAnEditByHand_exits2AndNamesTheResource() throws Exception {
    assertThat(plumb("apply").exit()).isZero();
    Files.writeString(grub, Files.readString(grub).replace("intel_iommu=on iommu=pt", "quiet"));

    Cli check = plumb("check");
    assertThat(check.exit()).as(check.toString()).isEqualTo(2);
    // No run was recorded (no ledger): the class of the difference is unknown.
    assertThat(check.out()).contains("localhost  unknown: line[grub-iommu]").doesNotContain("file[vfio]");
  }

  @Test
  void apply_whenAFileChangedSincePlanning_refusesToOverwriteIt() throws Exception {
    // The guard is the checksum of the content the plan was made from: simulate a writer racing
    // the run by changing the file from inside the plan (a command that runs before the write).
    Files.writeString(playbook, """
        - hosts: localhost
          resources:
            - command: {argv: [sh, -c, "echo racer >> %1$s"]}
              name: racer
            - line: {path: %1$s, regexp: '^GRUB_TIMEOUT=', line: 'GRUB_TIMEOUT=1'}
              name: timeout
              requires: [racer]
        """.formatted(grub));
    Cli apply = plumb("apply");
    assertThat(apply.exit()).as(apply.toString()).isEqualTo(3);
    assertThat(apply.out()).contains("changed since the plan was made");
    assertThat(Files.readString(grub)).contains("GRUB_TIMEOUT=5", "racer");
  }

  @Test
  void apply_aCommandPastItsResourceTimeout_failsThatStepAndSkipsItsDependentsOnly() throws Exception {
    Path done = dir.resolve("done");
    Path independent = dir.resolve("independent");
    Files.writeString(playbook, """
        - hosts: localhost
          resources:
            - command: {argv: [sleep, "5"]}
              name: slow
              timeout: 1s
            - command: {argv: [touch, %1$s], creates: %1$s}
              name: after-slow
              requires: [slow]
            - command: {argv: [touch, %2$s], creates: %2$s}
              name: independent
        """.formatted(done, independent));
    long start = System.nanoTime();
    Cli apply = plumb("apply");
    assertThat((System.nanoTime() - start) / 1e9).as("the 1 s timeout, not the 5 s sleep").isLessThan(4.5);
    assertThat(apply.exit()).as(apply.toString()).isEqualTo(3);
    assertThat(apply.out()).contains("timed out", "requires command[slow], which failed");
    assertThat(done).doesNotExist();
    assertThat(independent).as("a failed step skips only its dependents").exists();
  }

  @Test
  void facts_printsWhatWasReadAsJson_missingFilesMarkedAsSuch() throws Exception {
    Cli facts = Cli.run("facts", playbook.toString()); // facts prints JSON: it has no --no-color
    assertThat(facts.exit()).as(facts.toString()).isZero();
    Object parsed = dev.plumb.text.Json.parse(facts.out());
    @SuppressWarnings("unchecked")
    var host = (java.util.Map<String, Object>) ((java.util.Map<String, Object>) parsed).get("localhost");
    assertThat(host.get("file " + grub)).isEqualTo(Files.readString(grub));
    assertThat(host.get("file " + dir.resolve("vfio.conf"))).isEqualTo(java.util.Map.of("missing", true));
  }

  @Test
  void aPlaybookWithThreeMistakes_printsAllThreeWithPositions_andContactsNoHost() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yml"), """
        - hosts: localhost
          resources:
            - fiel: {path: /tmp/x, content: a}
            - line: {path: %s, regexp: x, lien: y}
              name: a
            - command: {argv: [touch, %s]}
              name: b
              requires: [nope]
        """.formatted(grub, marker));
    Cli lint = Cli.run("plan", bad.toString());
    assertThat(lint.exit()).as(lint.toString()).isEqualTo(1);
    assertThat(lint.err())
        .contains(bad + ":3:7: error: unknown resource type 'fiel'", "did you mean 'file'?")
        .contains(bad + ":4:" + (33 + grub.toString().length()) + ": error: unknown parameter 'lien' for line", "did you mean 'line'?")
        .contains(bad + ":8:18: error: requires 'nope': no resource with this id or name on this host")
        .contains("no host was contacted");
    assertThat(marker).doesNotExist();
  }
}

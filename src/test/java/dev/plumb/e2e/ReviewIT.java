package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.cli.JunitSchema;
import dev.plumb.lab.Lab;
import dev.plumb.text.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's "done when", each in a real git repository (the shipped GPU hypervisor playbook and
 * the lab's inventory, committed) against the lab: a reviewed change ({@code plan --against main},
 * and the CI recipe contrib/ci/plan-review.sh that wraps it), a saved plan refused on the one host
 * edited by hand since, JUnit of a drifted host, and the log of those runs with their commits.
 *
 * <p>One lab of 10 for all of it, in an order that needs no reset: the review only reads, then the
 * saved plan changes lab01…lab03, then lab01 drifts, then the log reads what was recorded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReviewIT {
  @RegisterExtension static final Lab lab = Lab.fresh(10);
  @TempDir static Path repo;
  /** Outside the repository: a saved plan is not part of the playbooks (the records stay clean). */
  @TempDir static Path elsewhere;
  private static Git git;
  private static Path playbook;
  private static Path inventory;
  private static RevCommit fleet;

  @BeforeAll
  static void up() throws Exception {
    playbook = repo.resolve("gpu-hypervisor.yml");
    Files.copy(Plumb.root().resolve("playbooks/gpu-hypervisor.yml"), playbook);
    inventory = lab.writeInventory(repo.resolve("hosts.yml"), "hypervisors");
    git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
    git.add().addFilepattern("gpu-hypervisor.yml").addFilepattern("hosts.yml").call();
    fleet = git.commit().setMessage("the fleet").setSign(false).call();
  }

  @AfterAll
  static void down() {
    if (git != null) {
      git.close();
    }
  }

  @Test
  @Order(1)
  void planAgainstMain_aBranchChangingTheGpuDeviceId_showsOneGroupOfTenHostsWithExactlyThatChange() throws Exception {
    git.checkout().setCreateBranch(true).setName("new-card").call();
    Files.writeString(playbook, Files.readString(playbook).replace("gpu_device: \"1b80\"", "gpu_device: \"1e04\""));
    git.add().addFilepattern("gpu-hypervisor.yml").call();
    git.commit().setMessage("the new card").setSign(false).call();
    try {
      Plumb plan = Plumb.run("plan", "--detailed-exitcode", "--against", "main", "-i", inventory.toString(),
          playbook.toString());

      assertThat(plan.exit()).as(plan.toString()).isEqualTo(2);
      String out = plan.out();
      assertThat(Pattern.compile("^\\S.*hosts?: ", Pattern.MULTILINE).matcher(out).results().count())
          .as("one group:\n" + out).isEqualTo(1);
      assertThat(out).contains("\n10 hosts: lab01…lab10  2 altered\n")
          // the id in the cards passed through (the lab's hosts have 1b80: the work tree's plan is blocked, and says so)
          .contains("  ~ pci_passthrough[gpu]  (altered: ", "-options vfio-pci ids=10de:10f0,10de:1b80\n",
              "+blocked: no PCI device 10de:1e04 on this host")
          // and in nova's whitelist and alias
          .contains("  ~ nova_pci[nova]  (altered: ",
              "-pci_passthrough_whitelist = {\"vendor_id\":\"10de\",\"product_id\":\"1b80\"}\n",
              "+pci_passthrough_whitelist = {\"vendor_id\":\"10de\",\"product_id\":\"1e04\"}\n",
              "-pci_alias = {\"vendor_id\":\"10de\",\"product_id\":\"1b80\",\"name\":\"nvidia\"}\n",
              "+pci_alias = {\"vendor_id\":\"10de\",\"product_id\":\"1e04\",\"name\":\"nvidia\"}\n")
          .contains("Difference: 0 added, 20 altered, 0 removed, on 10 of 10 hosts.")
          .doesNotContain("kernel_cmdline", "module_blacklist", "initramfs[", "service[", "GRUB_");
      assertThat(git.status().call().isClean()).as("the work tree is untouched").isTrue();

      // The CI recipe of docs/review.md, as a CI job runs it: the packaged plumb, markdown to a file.
      Path comment = repo.resolve("plan-review.md");
      Plumb recipe = shell(Map.of("PLUMB", Plumb.root().resolve("bin/plumb").toString()),
          Plumb.root().resolve("contrib/ci/plan-review.sh").toString(), "main", inventory.toString(), playbook.toString(),
          comment.toString());
      assertThat(recipe.exit()).as(recipe.toString()).isZero();
      String markdown = Files.readString(comment);
      assertThat(markdown).startsWith("This change does something relative to `main`:\n")
          .contains("| 10 hosts: lab01…lab10 | 2 altered |", "<details><summary><b>10 hosts: lab01…lab10</b>: 2 altered",
              "+blocked: no PCI device 10de:1e04 on this host", "Difference: 0 added, 20 altered, 0 removed, on 10 of 10 hosts.")
          .hasSizeLessThan(65_000);
      Files.delete(comment);
    } finally {
      git.checkout().setName("main").call();
    }
  }

  @Test
  @Order(2)
  void applySavedPlan_afterAHandEditOfGrubOnOneOfThree_refusesThatHostWithTheDiff_runsTheOthersAsPlanned_exits3()
      throws Exception {
    Path saved = elsewhere.resolve("plan.json");
    Plumb plan = Plumb.run("plan", "--record", "-o", saved.toString(), "-l", "lab01:lab02:lab03", "-i",
        inventory.toString(), playbook.toString());
    assertThat(plan.exit()).as(plan.toString()).isZero();
    String grubBefore = lab.exec("lab02", "cat", "/etc/default/grub");
    lab.exec("lab02", "sed", "-i", "s/^GRUB_TIMEOUT=10$/GRUB_TIMEOUT=3/", "/etc/default/grub");

    Plumb apply = Plumb.run("apply", "--record", "--format", "json", saved.toString());

    assertThat(apply.exit()).as(apply.toString()).isEqualTo(3);
    Plumb.Report report = apply.json();
    Plumb.Host refused = report.host("lab02");
    assertThat(refused.outcome()).isEqualTo("failed");
    assertThat(String.join("\n", refused.problems())).as(refused.toString())
        .contains("refused: 1 fact of lab02 moved since the plan was saved",
            "/etc/default/grub moved:\n--- /etc/default/grub\n+++ /etc/default/grub\n", "-GRUB_TIMEOUT=10\n+GRUB_TIMEOUT=3")
        .doesNotContain("moved: exit"); // no other fact named
    assertThat(lab.exec("lab02", "cat", "/etc/default/grub")).as("refused host untouched")
        .isEqualTo(grubBefore.replace("GRUB_TIMEOUT=10\n", "GRUB_TIMEOUT=3\n"));
    assertThat(lab.exec("lab02", "sh", "-c", "ls /etc/modprobe.d")).doesNotContain("vfio.conf");
    assertThat(lab.calls("lab02", "update-grub")).isZero();

    Map<String, List<List<String>>> planned = savedCommands(saved);
    for (String host : List.of("lab01", "lab03")) {
      Plumb.Host h = report.host(host);
      assertThat(h.outcome()).as(h.toString()).isEqualTo("changed");
      assertThat(ranCommands(h)).as("%s ran exactly the saved commands", host).isEqualTo(planned.get(host));
      assertThat(lab.exec(host, "cat", "/etc/default/grub")).contains("GRUB_CMDLINE_LINUX=\"intel_iommu=on iommu=pt\"");
      assertThat(lab.exec(host, "cat", "/etc/modprobe.d/vfio.conf")).contains("options vfio-pci ids=10de:10f0,10de:1b80");
      assertThat(lab.exec(host, "cat", "/etc/nova/nova.conf")).contains("pci_alias = {\"vendor_id\":\"10de\"");
      assertThat(lab.calls(host, "update-grub")).isEqualTo(1);
      assertThat(lab.calls(host, "update-initramfs")).isEqualTo(1);
    }
    assertThat(planned.get("lab01")).as("the saved plan has the commands").isNotEmpty();
  }

  @Test
  @Order(3)
  void checkJunit_ofADriftedHost_validatesAgainstTheSchema() throws Exception {
    // A later commit (a comment only), so that the log below shows runs at two commits.
    Files.writeString(playbook, Files.readString(playbook) + "# reviewed\n");
    git.add().addFilepattern("gpu-hypervisor.yml").call();
    git.commit().setMessage("a comment").setSign(false).call();
    lab.exec("lab01", "sh", "-c", "echo 'options vfio-pci ids=10de:1b80' > /etc/modprobe.d/vfio.conf");

    Plumb check = Plumb.run("check", "--record", "--format", "junit", "-l", "lab01", "-i", inventory.toString(),
        playbook.toString());

    assertThat(check.exit()).as(check.toString()).isEqualTo(2);
    JunitSchema.validate(check.out());
    assertThat(check.out())
        .contains("<testsuite name=\"lab01\" hostname=\"lab01\"", "failures=\"1\" errors=\"0\"")
        .containsPattern("<testcase classname=\"lab01\" name=\"pci_passthrough\\[gpu\\]\" time=\"[0-9.]+\">\\s*<failure message=\"update: [^\"]*\\(drift\\)\"")
        .contains("-options vfio-pci ids=10de:1b80", "+options vfio-pci ids=10de:10f0,10de:1b80");
  }

  @Test
  @Order(4)
  void log_ofLab01_listsTheRunsOfThisTestNewestFirst_withTheirCommits() throws Exception {
    String head = git.getRepository().resolve("HEAD").name().substring(0, 12);
    String first = fleet.name().substring(0, 12);

    Plumb log = Plumb.run("log", "-C", repo.toString(), "-l", "lab01");

    assertThat(log.exit()).as(log.toString()).isZero();
    assertThat(log.out()).as(log.toString()).containsPattern("(?s)\\Alab01\n"
        // the drift and the initramfs rebuild it notifies
        + "  \\S+ \\S+Z  check  changed\\s+" + head + "\\s+2 changes\\s+\\S+-check-\\w+\n"
        // the 4 resources and 2 handlers of the playbook, as planned and as applied
        + "  \\S+ \\S+Z  apply  changed\\s+" + first + "\\s+6 changes\\s+\\S+-apply-\\w+\n"
        + "  \\S+ \\S+Z  plan   changed\\s+" + first + "\\s+6 changes\\s+\\S+-plan-\\w+\n\\z");
  }

  /** Per host of a saved plan, the argv of each command of each step, in order. */
  @SuppressWarnings("unchecked")
  private static Map<String, List<List<String>>> savedCommands(Path saved) throws Exception {
    Map<String, List<List<String>>> out = new LinkedHashMap<>();
    Map<String, Object> root = Plumb.asMap(Json.parse(Files.readString(saved)));
    for (Object h : Plumb.asList(root.get("hosts"))) {
      Map<String, Object> host = Plumb.asMap(h);
      List<List<String>> argvs = new ArrayList<>();
      for (Object s : Plumb.asList(Plumb.asMap(host.get("plan")).get("steps"))) {
        for (Object c : Plumb.asList(Plumb.asMap(s).get("commands"))) {
          argvs.add(Plumb.strings(Plumb.asMap(c).get("argv")));
        }
      }
      out.put((String) host.get("name"), argvs);
    }
    return out;
  }

  /** The argv of every command a host's steps ran (a step that ran reports commands_run > 0). */
  private static List<List<String>> ranCommands(Plumb.Host host) {
    List<List<String>> argvs = new ArrayList<>();
    for (Plumb.Step s : host.steps()) {
      List<Object> commands = Plumb.asList(s.map().get("commands"));
      assertThat(s.commandsRun()).as("%s ran all its commands", s.id()).isEqualTo(commands.size());
      commands.forEach(c -> argvs.add(Plumb.strings(Plumb.asMap(c).get("argv"))));
    }
    return argvs;
  }

  /** Runs {@code sh script args...} in the repository under review, as a CI job would. */
  private static Plumb shell(Map<String, String> env, String script, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("sh", script));
    argv.addAll(List.of(args));
    Path out = Files.createTempFile("recipe-out", ".txt");
    Path err = Files.createTempFile("recipe-err", ".txt");
    try {
      ProcessBuilder builder = new ProcessBuilder(argv).directory(repo.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("`" + String.join(" ", argv) + "` did not end within 120 s");
      }
      return new Plumb(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}

package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hosts with the same changes are shown once in text and markdown; JSON keeps every host. */
class GroupedOutputTest {
  @TempDir Path dir;
  Path inventory;
  Path playbook;

  @BeforeEach
  void setUp() throws Exception {
    // Five local hosts: four want the same file, gpu05 wants another content.
    inventory = Files.writeString(dir.resolve("hosts.yml"), """
        all:
          vars: {ansible_connection: local, ids: "10de:1b80"}
          hosts:
            gpu01: {}
            gpu02: {}
            gpu03: {}
            gpu04: {}
            gpu05: {ids: "10de:2204"}
        """);
    playbook = Files.writeString(dir.resolve("play.yml"), """
        - hosts: all
          resources:
            - file:
                path: %s/vfio.conf
                content: "options vfio-pci ids={{ ids }}\\n"
              name: vfio
        """.formatted(dir));
  }

  @Test
  void plan_text_identicalHostsShareOneBlockHeadedByCountAndRange() {
    Cli plan = Cli.run("plan", "--no-color", "-i", inventory.toString(), playbook.toString());
    assertThat(plan.exit()).as(plan.toString()).isZero();
    assertThat(plan.out()).contains("4 hosts: gpu01…gpu04  1 to change, 1 command\n")
        .contains("\ngpu05  1 to change, 1 command\n");
    assertThat(count(plan.out(), "+options vfio-pci ids=10de:1b80")).isEqualTo(1);
    assertThat(count(plan.out(), "+options vfio-pci ids=10de:2204")).isEqualTo(1);
    assertThat(plan.out()).contains("on 5 hosts.");
  }

  @Test
  void plan_json_keepsEveryHost() {
    Cli plan = Cli.run("plan", "--format", "json", "-i", inventory.toString(), playbook.toString());
    assertThat(plan.exit()).as(plan.toString()).isZero();
    for (String host : List.of("gpu01", "gpu02", "gpu03", "gpu04", "gpu05")) {
      assertThat(plan.out()).contains("\"name\": \"" + host + "\"");
    }
  }

  @Test
  void plan_markdown_oneRowAndOneCollapsibleBlockPerGroup() {
    Cli plan = Cli.run("plan", "--format", "markdown", "-i", inventory.toString(), playbook.toString());
    assertThat(plan.exit()).as(plan.toString()).isZero();
    assertThat(plan.out()).contains("| 4 hosts: gpu01…gpu04 | changed | 1 | 0 | 1 |  |\n", "| gpu05 | changed | 1 | 0 | 1 |  |\n")
        .contains("<details><summary><b>4 hosts: gpu01…gpu04</b>: changed, 1 change</summary>");
    assertThat(count(plan.out(), "<details>")).isEqualTo(2);
    assertThat(plan.out()).doesNotContain("left out");
  }

  @Test
  void markdown_pastTheLimit_cutWithALineSayingWhatWasLeftOutAndWhere() {
    List<dev.plumb.apply.HostResult> hosts = new java.util.ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      hosts.add(new dev.plumb.apply.HostResult("h" + i, dev.plumb.apply.HostResult.Outcome.UNREACHABLE,
          java.util.Optional.empty(), List.of(), List.of("no route to host " + i + " " + "x".repeat(80)), 0, false, 0,
          java.util.Optional.empty(), java.util.Optional.empty(), List.of(), false, java.util.Optional.empty()));
    }
    RunReport report = new RunReport(dev.plumb.apply.Mode.PLAN, "play.yml", hosts, 1);
    String md = new MarkdownRenderer(3000, "plan.txt (CI artifact)").render(report);
    assertThat(md.length()).isLessThanOrEqualTo(3000);
    assertThat(md).containsPattern("\\*\\*Cut to fit a comment:\\*\\* \\d+ of 60 blocks \\(\\d+ hosts, about \\d+ characters\\) left out\\. "
        + "The full plan is in plan\\.txt \\(CI artifact\\)\\.");
    String whole = new MarkdownRenderer(1_000_000, "x").render(report);
    assertThat(count(whole, "<details>")).isEqualTo(60);
    assertThat(whole).doesNotContain("Cut to fit");
  }

  @Test
  void sameChangeOfDifferentClass_notGrouped_inTextAndMarkdown() {
    dev.plumb.plan.Step step = new dev.plumb.plan.Step(1, "file[vfio]", "file", false, "play.yml:1:1",
        java.time.Duration.ZERO, dev.plumb.modules.Change.of(dev.plumb.modules.Action.UPDATE, "a", "b",
            List.of(dev.plumb.modules.Command.shell("write vfio.conf"))), List.of(), List.of(), java.util.Map.of());
    List<dev.plumb.apply.HostResult> hosts = new java.util.ArrayList<>();
    for (String host : List.of("gpu01", "gpu02", "gpu03")) {
      hosts.add(new dev.plumb.apply.HostResult(host, dev.plumb.apply.HostResult.Outcome.CHANGED,
          java.util.Optional.of(new dev.plumb.plan.HostPlan(host, List.of(step), List.of(), false, false)), List.of(),
          List.of(), 0, false, 0, java.util.Optional.empty(), java.util.Optional.empty(), List.of(), false,
          java.util.Optional.empty()));
    }
    // gpu01 and gpu02 moved by hand; on gpu03 the same difference is a declaration not yet rolled out.
    RunReport report = new RunReport(dev.plumb.apply.Mode.PLAN, "play.yml", hosts, 1, java.util.Map.of(
        "gpu01", java.util.Map.of("file[vfio]", dev.plumb.drift.DriftClass.DRIFT),
        "gpu02", java.util.Map.of("file[vfio]", dev.plumb.drift.DriftClass.DRIFT),
        "gpu03", java.util.Map.of("file[vfio]", dev.plumb.drift.DriftClass.ROLLOUT)));
    String text = new TextRenderer(new Style(false)).render(report);
    assertThat(text).contains("2 hosts: gpu01, gpu02  1 to change, 1 command\n", "\ngpu03  1 to change, 1 command\n")
        .contains("(update, observed, drift", "(update, observed, rollout");
    String md = new MarkdownRenderer().render(report);
    assertThat(md).contains("| 2 hosts: gpu01, gpu02 | changed | 1 | 1 | 0 |  |\n", "| gpu03 | changed | 1 | 0 | 1 |  |\n");
    assertThat(count(md, "<details>")).isEqualTo(2);
  }

  @Test
  void compact_rangesOfThreeOrMore_namesOtherwise() {
    assertThat(HostGroups.compact(List.of("lab001", "lab002", "lab003"))).isEqualTo("lab001…lab003");
    assertThat(HostGroups.compact(List.of("lab01", "lab02"))).isEqualTo("lab01, lab02");
    assertThat(HostGroups.compact(List.of("lab08", "lab09", "lab10", "db", "lab12"))).isEqualTo("lab08…lab10, db, lab12");
    assertThat(HostGroups.compact(List.of("n9", "n10", "n11"))).isEqualTo("n9…n11");
    assertThat(HostGroups.compact(List.of("n09", "n010", "n011"))).isEqualTo("n09, n010, n011");
    assertThat(HostGroups.heading(List.of("x"))).isEqualTo("x");
  }

  static int count(String text, String part) {
    Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}

package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.apply.HostResult;
import dev.plumb.apply.Mode;
import dev.plumb.plan.HostPlan;
import dev.plumb.source.Mark;
import dev.plumb.source.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small things a new user saw: words that say what happened, each said once. */
class MessagesTest {
  @TempDir Path dir;

  @Test
  void planWarning_isPrintedWithOneSeverityWord() {
    Problem warning = Problem.warning(Mark.of("play.yml", 4, 8), "intel_iommu has no effect on AMD", "remove it");
    HostPlan plan = new HostPlan("gpu01", List.of(), List.of(warning), false, false);
    HostResult host = new HostResult("gpu01", HostResult.Outcome.CONVERGED, Optional.of(plan), List.of(), List.of(), 1,
        false, 0.1, Optional.empty(), Optional.empty(), List.of(), false, Optional.empty());
    String text = new TextRenderer(new Style(false)).render(new RunReport(Mode.PLAN, "play.yml", List.of(host), 0.1));
    assertThat(text).contains("  play.yml:5:9: warning: intel_iommu has no effect on AMD\n")
        .doesNotContain("warning: play.yml");
  }

  @Test
  void checkProgress_ofADriftedHost_saysDriftedNotChanged() throws Exception {
    Cli check = Cli.run("check", "--no-color", "-i", twoLocalHosts().toString(), playbook().toString());
    assertThat(check.exit()).as(check.toString()).isEqualTo(2);
    assertThat(check.err()).containsPattern("\\[1/2\\] gpu0[12]: drifted \\(").doesNotContain(": changed (");
  }

  @Test
  void planProgress_ofAHostWithChanges_saysWouldChange() throws Exception {
    Cli plan = Cli.run("plan", "--no-color", "-i", twoLocalHosts().toString(), playbook().toString());
    assertThat(plan.exit()).as(plan.toString()).isZero();
    assertThat(plan.err()).containsPattern("\\[2/2\\] gpu0[12]: would change \\(").doesNotContain(": changed (");
  }

  private Path twoLocalHosts() throws Exception {
    return Files.writeString(dir.resolve("hosts.yml"), """
        all:
          vars: {ansible_connection: local}
          hosts:
            gpu01: {}
            gpu02: {}
        """);
  }

  private Path playbook() throws Exception {
    return Files.writeString(dir.resolve("play.yml"), """
        - hosts: all
          resources:
            - file:
                path: "%s/{{ inventory_hostname }}.conf"
                content: "x\\n"
              name: conf
        """.formatted(dir));
  }
}

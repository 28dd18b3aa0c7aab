package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.apply.HostResult;
import dev.plumb.apply.HostResult.Outcome;
import dev.plumb.apply.Mode;
import dev.plumb.apply.StepResult;
import dev.plumb.facts.FactResult;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.modules.FileChange;
import dev.plumb.modules.TakesEffect;
import dev.plumb.plan.HostPlan;
import dev.plumb.plan.Step;
import dev.plumb.text.TextDiff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each renderer against a fixed report, compared byte for byte with a file under
 * src/test/resources/golden. A renderer change shows up as a diff of these files in review. After
 * checking that diff is intended, rewrite them with {@code -Dplumb.golden.update=true}.
 */
class GoldenRenderersTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  @Test
  void plan_text_matchesGolden() throws IOException {
    assertGolden("plan.txt", new TextRenderer(new Style(false)).render(report(Mode.PLAN)));
  }

  @Test
  void plan_markdown_matchesGolden() throws IOException {
    assertGolden("plan.md", new MarkdownRenderer().render(report(Mode.PLAN)));
  }

  @Test
  void plan_json_matchesGolden() throws IOException {
    // The write helper's script is tested on its own (WriteScriptTest); here it is a placeholder,
    // so a change to it does not rewrite this file.
    String json = new JsonRenderer().render(report(Mode.PLAN), 2)
        .replace("\"" + Main.VERSION + "\"", "\"VERSION\"")
        .replaceAll("\"set -e; p=\\$1;(?:[^\"\\\\]|\\\\.)*\"", "\"(the write helper's script)\"");
    assertGolden("plan.json", json);
  }

  @Test
  void apply_text_matchesGolden() throws IOException {
    assertGolden("apply.txt", new TextRenderer(new Style(false)).render(report(Mode.APPLY)));
  }

  /**
   * Five hosts: two identical ones with a file to create and a kernel command line to change (a
   * reboot), one converged, one unreachable, one whose driver install is blocked.
   */
  static RunReport report(Mode mode) {
    String vfio = "options vfio-pci ids=10de:1db4\n";
    Change file = FileChange.write("/etc/modprobe.d/vfio.conf", new FactResult.Missing(), vfio, "0644");
    String grubBefore = "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet splash\"\nGRUB_CMDLINE_LINUX=\"\"\n";
    String grubAfter = grubBefore.replace("quiet splash", "quiet splash intel_iommu=on iommu=pt");
    Change cmdline = Change.of(Action.UPDATE, "quiet splash", "quiet splash intel_iommu=on iommu=pt",
            List.of(Command.writeFile("/etc/default/grub", grubAfter, "0".repeat(64), "0644"), Command.of("update-grub")))
        .withDiff(TextDiff.unified("/etc/default/grub", grubBefore, grubAfter))
        .withTakesEffect(new TakesEffect.AfterReboot());
    Change initramfs = Change.of(Action.RUN, "built before vfio.conf", "rebuilt", List.of(Command.of("update-initramfs", "-u")))
        .withTakesEffect(new TakesEffect.AfterReboot());
    Step s1 = step(1, "file[vfio]", "file", false, file, List.of());
    Step s2 = step(2, "kernel_cmdline[iommu]", "kernel_cmdline", false, cmdline, List.of());
    Step s3 = step(3, "initramfs[rebuild]", "initramfs", true, initramfs, List.of("file[vfio]"));
    HostPlan changing = new HostPlan("gpu01", List.of(s1, s2, s3), List.of(), false, true);

    List<HostResult> hosts = new ArrayList<>();
    for (String name : List.of("gpu01", "gpu02")) {
      List<StepResult> results = mode == Mode.APPLY
          ? List.of(new StepResult(s1.id(), StepResult.Status.CHANGED, "", 1),
              new StepResult(s2.id(), StepResult.Status.CHANGED, "", 2),
              new StepResult(s3.id(), StepResult.Status.CHANGED, "", 1))
          : List.of();
      hosts.add(result(name, Outcome.CHANGED, Optional.of(changing), results, List.of(), mode == Mode.APPLY));
    }
    Step converged = step(1, "file[vfio]", "file", false, Change.none("1 line"), List.of());
    hosts.add(result("gpu03", Outcome.CONVERGED, Optional.of(new HostPlan("gpu03", List.of(converged), List.of(), false, false)),
        List.of(), List.of(), false));
    hosts.add(result("gpu04", Outcome.UNREACHABLE, Optional.empty(), List.of(),
        List.of("cannot connect to 192.0.2.4:22: connection refused (is sshd running, and is the address right?)"), false));
    Change driver = Change.of(Action.CREATE, "absent", "367.35", List.of(Command.of("sh", "/tmp/NVIDIA-Linux-x86_64-367.35.run", "--silent")))
        .withBlocker("nouveau is loaded and in use by the console: blacklist it and reboot first");
    Step blocked = step(1, "nvidia_driver[367.35]", "nvidia_driver", false, driver, List.of());
    hosts.add(result("gpu05", Outcome.FAILED, Optional.of(new HostPlan("gpu05", List.of(blocked), List.of(), false, false)),
        mode == Mode.APPLY ? List.of(new StepResult(blocked.id(), StepResult.Status.BLOCKED, driver.blockers().get(0), 0)) : List.of(),
        List.of(), false));
    return new RunReport(mode, "playbooks/gpu-hypervisor.yml", hosts, 12.5);
  }

  private static Step step(int index, String id, String type, boolean handler, Change change, List<String> notifiedBy) {
    return new Step(index, id, type, handler, "playbooks/gpu-hypervisor.yml:" + (10 * index) + ":7", Duration.ZERO, change,
        notifiedBy, notifiedBy, Map.of());
  }

  private static HostResult result(String host, Outcome outcome, Optional<HostPlan> plan, List<StepResult> steps,
      List<String> problems, boolean rebooted) {
    return new HostResult(host, outcome, plan, steps, problems, 3, rebooted, 2.5, Optional.empty(), Optional.empty(),
        List.of(), false, Optional.empty());
  }

  private static void assertGolden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("plumb.golden.update") || !Files.exists(file)) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual)
        .as("%s differs from the renderer's output; if the change is intended, rerun with -Dplumb.golden.update=true", file)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}

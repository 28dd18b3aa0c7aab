package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: a GPU node with Secure Boot on and Perl 5.26 (knobs secure_boot, perl) is blocked
 * before any installer runs. The shipped playbooks on each distribution profile (lab knob {@code
 * profile}) are ShippedPlaybooksOnProfilesIT's.
 */
class ProfilesIT {
  @RegisterExtension static final Lab lab = Lab.fresh(1);

  @Test
  void gpuNode_secureBootOn_andPerl526_blockBeforeAnyInstallerRuns(@TempDir Path dir) throws Exception {
    String host = "lab01";
    lab.reset(host);
    lab.set(host, "secure_boot=1");
    lab.set(host, "perl=5.026001");
    // gpu-node.yml targets the group gpu_nodes: the lab's hosts, in that group, with absolute paths.
    Path gpuNodes = lab.writeInventory(dir.resolve("gpu-nodes.yml"), "gpu_nodes");

    Plumb plan = Plumb.run("plan", "--format", "json", "-i", gpuNodes.toString(), "-l", host, "playbooks/gpu-node.yml");
    assertThat(plan.exit()).as(plan.toString()).isZero();
    Plumb.Host result = plan.json().host(host);
    assertThat(result.step("nvidia_driver[367.35]").blockers()).as(result.toString())
        .anySatisfy(b -> assertThat(b).startsWith("Secure Boot is on: the kernel refuses an unsigned nvidia module"));
    assertThat(result.step("cuda_toolkit[8.0.27]").blockers()).as(result.toString())
        .anySatisfy(b -> assertThat(b).startsWith("CUDA 8.0.27's runfile installs nothing under Perl 5.26 or later"));
    assertThat(lab.calls(host, "NVIDIA-Linux-x86_64-367.35.run")).isZero();
    assertThat(lab.calls(host, "cuda_8.0.27_linux.run")).isZero();
  }
}

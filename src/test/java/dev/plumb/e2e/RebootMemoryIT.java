package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10: a host whose reboot does not take (lab knob {@code broken_reboot=1}: the boot keeps the
 * old kernel command line) is rebooted once, then refused a reboot for the same unchanged cause by
 * every later run, with the report, until the operator forces one more ({@code --reboot force}).
 */
class RebootMemoryIT {
  private static final String HYPERVISOR = "playbooks/gpu-hypervisor.yml";
  private static final String RECORD = "/var/lib/plumb/reboot-attempt";

  @RegisterExtension static final Lab lab = Lab.fresh(1);
  private static final String inventory = lab.inventory().toString();



  private static Plumb apply(String reboot) {
    return Plumb.run("apply", "--reboot", reboot, "-i", inventory, "-l", "lab01", HYPERVISOR);
  }

  private static String record() {
    return lab.exec("lab01", "sh", "-c", "cat " + RECORD + " 2>/dev/null || true");
  }

  @Test
  void rebootThatDoesNotTake_isTriedOnce_thenRefusedForTheSameCause_untilForced_andOneThatTakesClearsTheRecord() {
    String host = "lab01";
    lab.set(host, "broken_reboot=1");
    String bootIdBefore = lab.exec(host, "cat", "/proc/sys/kernel/random/boot_id").strip();

    Plumb first = apply("if-needed");
    assertThat(first.exit()).as(first.toString()).isEqualTo(3);
    assertThat(first.out()).contains("after one reboot the running state still differs from the next boot");
    assertThat(lab.reboots(host)).isEqualTo(1);
    assertThat(record()).as("the attempt, remembered on the host")
        .contains("boot_id_before\t" + bootIdBefore, "kernel_cmdline[iommu]");

    Plumb second = apply("if-needed");
    assertThat(second.exit()).as(second.toString()).isEqualTo(3);
    assertThat(lab.reboots(host)).as("reboots after a second apply: none for the same cause").isEqualTo(1);
    assertThat(lab.calls(host, "reboot")).isEqualTo(1);
    assertThat(second.out()).as(second.toString()).contains(
        "not rebooting: a reboot at ", "(boot_id " + bootIdBefore + ") for the same unchanged cause did not take",
        "Expected: kernel_cmdline[iommu]: has intel_iommu=on iommu=pt",
        "The host runs: kernel_cmdline[iommu]: reboot pending: the running kernel's command line lacks intel_iommu=on iommu=pt",
        "apply --reboot force", RECORD);

    Plumb forced = apply("force");
    assertThat(forced.exit()).as(forced.toString()).isEqualTo(3);
    assertThat(lab.reboots(host)).as("the override reboots once more").isEqualTo(2);
    Plumb afterForce = apply("if-needed");
    assertThat(afterForce.exit()).isEqualTo(3);
    assertThat(afterForce.out()).contains("not rebooting: a reboot at ");
    assertThat(lab.reboots(host)).as("the forced attempt is remembered in turn").isEqualTo(2);

    // The operator repairs the boot and forces the reboot: it takes, the record goes, nothing is refused.
    lab.set(host, "broken_reboot=0");
    Plumb repaired = apply("force");
    assertThat(repaired.exit()).as(repaired.toString()).isZero();
    assertThat(lab.reboots(host)).isEqualTo(3);
    assertThat(record()).isEmpty();
    Plumb converged = apply("if-needed");
    assertThat(converged.exit()).as(converged.toString()).isZero();
    assertThat(lab.reboots(host)).isEqualTo(3);
  }

  @Test
  void rebootPolicyOtherThanTheThree_isAnInputError_noHostContacted() {
    int execs = lab.execCount("lab01");
    Plumb p = apply("always");
    assertThat(p.exit()).isEqualTo(1);
    assertThat(p.err()).contains("--reboot takes 'never', 'if-needed' or 'force', not 'always'");
    assertThat(lab.execCount("lab01")).isEqualTo(execs);
  }
}

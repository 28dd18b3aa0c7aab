package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15: the lab's fake nova refuses to start like the real one on a filter class or option its
 * release does not have; controller.yml on a later release writes only what that release reads;
 * the migration runbook runs end to end, including its refusal while an instance runs on the host.
 */
class NovaLabIT {
  private static final String CONTROLLER = "playbooks/controller.yml";
  private static final String MIGRATE = "playbooks/migrate-to-passthrough.yml";

  @RegisterExtension static final Lab lab = Lab.fresh(2);
  private static final String inventory = lab.inventory().toString();

  private static String restart(String host, String unit) {
    return lab.exec(host, "sh", "-c", "systemctl restart " + unit + " 2>&1; echo rc=$?");
  }

  private static void novaConf(String host, String text) {
    lab.exec(host, "sh", "-c", "printf '%s' \"$1\" >/etc/nova/nova.conf", "sh", text);
  }

  @Test
  void fakeNova_refusesToStart_onAFilterClassOrAnOptionItsReleaseDoesNotHave() {
    String host = "lab01";
    lab.set(host, "nova=victoria");
    lab.reset(host);
    try {
      novaConf(host, "[filter_scheduler]\nenabled_filters = RetryFilter,ComputeFilter\n");
      assertThat(restart(host, "nova-scheduler")).contains("Scheduler Host Filter RetryFilter could not be found", "rc=1");
      assertThat(lab.exec(host, "systemctl", "is-active", "nova-scheduler")).isEqualTo("failed\n");
      novaConf(host, "[pci]\ndevice_spec = {\"vendor_id\": \"10de\"}\n");
      assertThat(restart(host, "nova-compute")).contains("nova victoria does not read [pci] device_spec", "rc=1");
      novaConf(host, "[pci]\npassthrough_whitelist = {\"vendor_id\": \"10de\"}\n[filter_scheduler]\nenabled_filters = ComputeFilter,PciPassthroughFilter\n");
      assertThat(restart(host, "nova-scheduler")).isEqualTo("rc=0\n");
      assertThat(restart(host, "nova-compute")).isEqualTo("rc=0\n");
      // mitaka (the default) still has RetryFilter and reads [DEFAULT] scheduler_default_filters.
      lab.set(host, "nova=mitaka");
      novaConf(host, "[DEFAULT]\nscheduler_default_filters = RetryFilter,RamFilter\n");
      assertThat(restart(host, "nova-scheduler")).isEqualTo("rc=0\n");
    } finally {
      lab.set(host, "nova=mitaka");
    }
  }

  @Test
  void controllerPlaybook_onVictoria_writesNovasDefaultPlusPci_theSchedulerStarts_thenNothingToDo() {
    String host = "lab01";
    lab.set(host, "nova=victoria");
    lab.reset(host);
    try {
      String[] args = {"apply", "-i", inventory, "-l", host, "-e", "openstack_release=victoria", "-e", "openstack_cloud=lab", CONTROLLER};
      Plumb apply = Plumb.run(args);
      assertThat(apply.exit()).as(apply.toString()).isZero();
      assertThat(lab.exec(host, "grep", "^enabled_filters", "/etc/nova/nova.conf")).isEqualTo("enabled_filters = AvailabilityZoneFilter,"
          + "ComputeFilter,ComputeCapabilitiesFilter,ImagePropertiesFilter,ServerGroupAntiAffinityFilter,ServerGroupAffinityFilter,"
          + "PciPassthroughFilter\n");
      assertThat(lab.exec(host, "sh", "-c", "cat /var/lib/lab/services/nova-scheduler.restart | wc -l").strip()).isEqualTo("1");
      assertThat(lab.exec(host, "systemctl", "is-active", "nova-scheduler", "nova-api")).isEqualTo("active\nactive\n");
      assertThat(lab.exec(host, "openstack", "--os-cloud", "lab", "flavor", "show", "GPU.SSD.30", "-f", "json"))
          .contains("\"pci_passthrough:alias\": \"nvidia:1\"");

      Plumb again = Plumb.run("apply", "--format", "json", "-i", inventory, "-l", host, "-e", "openstack_release=victoria",
          "-e", "openstack_cloud=lab", CONTROLLER);
      assertThat(again.exit()).as(again.toString()).isZero();
      assertThat(again.json().host(host).steps()).allSatisfy(s -> assertThat(s.commandsRun()).as(s.id()).isZero());
    } finally {
      lab.set(host, "nova=mitaka");
    }
  }

  @Test
  void migrationRunbook_refusesWhileAnInstanceRuns_thenConvergesWithOneReboot_thenRunsNothing() {
    String host = "lab02";
    lab.set(host, "instances=1");
    lab.reset(host);
    try {
      String[] args = {"apply", "--format", "json", "--reboot", "if-needed", "-i", inventory, "-l", host, "-e", "openstack_cloud=lab", MIGRATE};
      Plumb refused = Plumb.run(args);
      assertThat(refused.exit()).as(refused.toString()).isNotZero();
      assertThat(refused.toString()).contains("instances still run on this host: migrate them away first");
      assertThat(lab.reboots(host)).isZero();
      assertThat(lab.exec(host, "cat", "/etc/default/grub")).as("nothing converged past the refusal").doesNotContain("intel_iommu");
      assertThat(lab.exec(host, "openstack", "--os-cloud", "lab", "compute", "service", "list", "--host", host,
          "--service", "nova-compute", "-f", "value", "-c", "Status")).as("taken out of scheduling").isEqualTo("disabled\n");

      // The operator migrates the instance away; the same command goes on from where it stopped.
      String id = lab.exec(host, "openstack", "--os-cloud", "lab", "server", "list", "--all-projects", "--host", host, "-f", "value", "-c", "ID").strip();
      lab.exec(host, "openstack", "--os-cloud", "lab", "server", "migrate", id);
      Plumb apply = Plumb.run(args);
      assertThat(apply.exit()).as(apply.toString()).isZero();
      assertThat(lab.reboots(host)).isEqualTo(1);
      assertThat(lab.driver(host, "0000:42:00.0")).isEqualTo("vfio-pci");
      assertThat(lab.exec(host, "openstack", "--os-cloud", "lab", "compute", "service", "list", "--host", host,
          "--service", "nova-compute", "-f", "value", "-c", "Status")).as("back in scheduling").isEqualTo("enabled\n");
      assertThat(lab.exec(host, "systemctl", "is-active", "nova-compute")).isEqualTo("active\n");

      Plumb again = Plumb.run(args);
      assertThat(again.exit()).as(again.toString()).isZero();
      assertThat(again.json().host(host).steps()).allSatisfy(s -> assertThat(s.commandsRun()).as(s.id()).isZero());
      assertThat(lab.reboots(host)).isEqualTo(1);
    } finally {
      lab.set(host, "instances=0");
    }
  }
}

package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.HostLint;
import dev.plumb.modules.Module;
import dev.plumb.modules.Param;
import dev.plumb.modules.Params;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Problem;
import dev.plumb.source.Problems;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** openstack_flavor, hide_hypervisor, assert, and the registration. */
class OpenstackAndAssertTest {
  static final OpenstackFlavor FLAVOR = new OpenstackFlavor();
  static final HideHypervisor HIDE = new HideHypervisor();
  static final Assert ASSERT = new Assert();
  static final Map<String, Object> GPU_FLAVOR = Map.of("flavor", "GPU.SSD.30", "properties", Map.of("pci_passthrough:alias", "nvidia:1"));

  @Test
  void properties_parser_bothClientFormats() {
    assertThat(OpenstackProperties.parse("{\"name\": \"GPU.SSD.30\", \"properties\": {\"pci_passthrough:alias\": \"nvidia:1\", \"hw:cpu\": \"2\"}}"))
        .containsExactly(Map.entry("pci_passthrough:alias", "nvidia:1"), Map.entry("hw:cpu", "2"));
    assertThat(OpenstackProperties.parse("{\"name\": \"GPU.SSD.30\", \"properties\": \"hw:cpu_policy='dedicated', pci_passthrough:alias='nvidia:1'\"}"))
        .containsExactly(Map.entry("hw:cpu_policy", "dedicated"), Map.entry("pci_passthrough:alias", "nvidia:1"));
    assertThat(OpenstackProperties.parse("{\"properties\": \"\"}")).isEmpty();
  }

  @Test
  void flavor_missingProperty_set() {
    Change c = Fixtures.of(FLAVOR, GPU_FLAVOR).cmd(OpenstackProperties.show("flavor", "GPU.SSD.30"),
        "{\"name\": \"GPU.SSD.30\", \"properties\": \"hw:cpu_policy='dedicated'\"}").diff();
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(Fixtures.shown(c)).containsExactly("openstack flavor set --property pci_passthrough:alias=nvidia:1 -- GPU.SSD.30");
  }

  @Test
  void flavor_present_none_andBlockers() {
    var show = OpenstackProperties.show("flavor", "GPU.SSD.30");
    assertThat(Fixtures.of(FLAVOR, GPU_FLAVOR).cmd(show, "{\"properties\": {\"pci_passthrough:alias\": \"nvidia:1\"}}").diff().action())
        .isEqualTo(Action.NONE);
    assertThat(Fixtures.of(FLAVOR, GPU_FLAVOR).cmd(show, 127, "").diff().blockers())
        .containsExactly("the openstack CLI is not installed on this host (python-openstackclient), or not on PATH");
    assertThat(Fixtures.of(FLAVOR, GPU_FLAVOR).cmd(show, 1, "").diff().blockers()).singleElement().asString()
        .startsWith("flavor GPU.SSD.30 does not exist or cannot be read");
    assertThat(show.script()).endsWith("openstack flavor show -f json -- GPU.SSD.30");
    assertThat(OpenstackProperties.show("flavor", "a b'c").script()).endsWith("openstack flavor show -f json -- 'a b'\\''c'");
  }

  @Test
  void flavor_withoutCloud_underAnEnvironmentWithoutOsVariables_blocksAndSaysWhy(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path stub = dir.resolve("openstack");
    java.nio.file.Files.writeString(stub, "#!/bin/sh\necho '{\"properties\": {}}'\n");
    stub.toFile().setExecutable(true);
    var show = OpenstackProperties.show("flavor", "GPU.SSD.30");
    // As under sudo -n: the login's OS_* variables are gone.
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", show.script());
    pb.environment().keySet().removeIf(k -> k.startsWith("OS_"));
    pb.environment().put("PATH", dir + ":/usr/bin:/bin");
    assertThat(pb.start().waitFor()).isEqualTo(OpenstackProperties.NO_CREDENTIALS);
    pb.environment().put("OS_CLOUD", "admin");
    assertThat(pb.start().waitFor()).isZero();
    assertThat(Fixtures.of(FLAVOR, GPU_FLAVOR).cmd(show, OpenstackProperties.NO_CREDENTIALS, "").diff().blockers()).containsExactly(
        "no cloud is declared and neither OS_CLOUD nor OS_AUTH_URL is set where plumb runs commands "
            + "(with become, sudo -n drops the login's OS_* variables): declare cloud: <a clouds.yaml entry>");
  }

  @Test
  void flavor_cloud() {
    Map<String, Object> p = Map.of("flavor", "gpu", "properties", Map.of("a", "b"), "cloud", "admin");
    var show = OpenstackProperties.show("flavor", "gpu", "admin");
    assertThat(show.script()).endsWith("openstack --os-cloud admin flavor show -f json -- gpu");
    assertThat(Fixtures.shown(Fixtures.of(FLAVOR, p).cmd(show, "{\"properties\": {}}").diff()))
        .containsExactly("openstack --os-cloud admin flavor set --property a=b -- gpu");
  }

  @Test
  void hide_nova_propertyNamePerRelease() {
    Map<String, Object> rocky = Map.of("method", "nova", "openstack_release", "rocky", "flavor", "gpu");
    var show = OpenstackProperties.show("flavor", "gpu");
    assertThat(Fixtures.shown(Fixtures.of(HIDE, rocky).cmd(show, "{\"properties\": {}}").diff()))
        .containsExactly("openstack flavor set --property hide_hypervisor_id=true -- gpu");
    Map<String, Object> victoria = Map.of("method", "nova", "openstack_release", "victoria", "flavor", "gpu");
    assertThat(Fixtures.shown(Fixtures.of(HIDE, victoria).cmd(show, "{\"properties\": {}}").diff()))
        .containsExactly("openstack flavor set --property hw:hide_hypervisor_id=true -- gpu");
    Map<String, Object> pikeImage = Map.of("method", "nova", "openstack_release", "pike", "image", "ubuntu-gpu");
    assertThat(Fixtures.shown(Fixtures.of(HIDE, pikeImage).cmd(OpenstackProperties.show("image", "ubuntu-gpu"),
        "{\"properties\": {\"os_distro\": \"ubuntu\"}}").diff()))
        .containsExactly("openstack image set --property img_hide_hypervisor_id=true -- ubuntu-gpu");
  }

  @Test
  void hide_validate() {
    assertThat(Fixtures.validate(HIDE, Map.of("method", "nova", "openstack_release", "mitaka", "image", "x")).all())
        .extracting(Problem::message).containsExactly("img_hide_hypervisor_id needs Pike or later, not mitaka");
    assertThat(Fixtures.validate(HIDE, Map.of("method", "nova", "openstack_release", "queens", "flavor", "x")).all())
        .extracting(Problem::message).containsExactly("the hide_hypervisor_id flavor extra spec needs Rocky or later, not queens");
    assertThat(Fixtures.validate(HIDE, Map.of("method", "libvirt", "domain", "d", "flavor", "x")).hasErrors()).isTrue();
    assertThat(Fixtures.validate(HIDE, Map.of("method", "libvirt", "domain", "gpu-guest")).all()).isEmpty();
  }

  static final String XML = "<domain type='kvm'><name>g</name><features><acpi/><kvm>%s</kvm></features></domain>";

  @Test
  void hide_libvirt_virtXml_onlyWhenVisible() {
    Map<String, Object> p = Map.of("method", "libvirt", "domain", "gpu-guest");
    Change c = Fixtures.of(HIDE, p).cmd(HideHypervisor.dumpxml("gpu-guest"), XML.formatted("")).tools("virsh", "virt-xml").diff();
    assertThat(Fixtures.shown(c)).containsExactly("virt-xml --edit --features kvm_hidden=on -- gpu-guest");
    assertThat(c.takesEffect()).isEqualTo(TakesEffect.afterRestart("libvirt domain gpu-guest"));
    Change hidden = Fixtures.of(HIDE, p).cmd(HideHypervisor.dumpxml("gpu-guest"), XML.formatted("\n  <hidden state='on'/>\n"))
        .tools("virsh", "virt-xml").diff();
    assertThat(hidden.action()).isEqualTo(Action.NONE);
    assertThat(Fixtures.of(HIDE, p).cmd(HideHypervisor.dumpxml("gpu-guest"), XML.formatted("")).tools("virsh").diff().blockers())
        .singleElement().asString().startsWith("virt-xml is not installed");
  }

  @Test
  void lint_libvirtOnNovaCompute() {
    Problems p = new Problems();
    new GpuLints.LibvirtUnderNova().check(List.of(
        new HostLint.Declared("nova_pci[x]", new NovaPci(), Params.of(Map.of("openstack_release", "zed", "role", "compute"), new NovaPci().params())),
        new HostLint.Declared("hide_hypervisor[x]", HIDE, Params.of(Map.of("method", "libvirt", "domain", "g"), HIDE.params()))), p);
    assertThat(p.all()).singleElement().satisfies(x -> assertThat(x.message()).startsWith("hide_hypervisor method libvirt on a nova compute host"));
  }

  @Test
  void lint_blacklistedDriver_andChangesThatNotifyNoHandler() {
    HostLint.Declared driver = PciPassthroughTest.declared(new NvidiaDriver(), Map.of("version", "367.35"));
    HostLint.Declared blacklist = PciPassthroughTest.declared(new ModuleBlacklist(), Map.of("modules", List.of("nouveau", "nvidia")));
    HostLint.Declared cuda = PciPassthroughTest.declared(new CudaToolkit(), Map.of("version", "8.0.27"));
    Problems p = new Problems();
    new GpuLints.DriverBlacklisted().check(List.of(blacklist, driver), p);
    assertThat(p.all()).singleElement().satisfies(x -> assertThat(x.message())
        .isEqualTo("module_blacklist of nvidia (test) and nvidia_driver (test) on one host: the driver would never load"));
    Problems unnotified = new Problems();
    new GpuLints.UnnotifiedHandlers().check(List.of(blacklist, driver, cuda), unnotified);
    assertThat(unnotified.all()).singleElement().satisfies(x -> {
      assertThat(x.severity()).isEqualTo(Problem.Severity.WARNING);
      assertThat(x.message()).startsWith("module_blacklist[x] changes modprobe.d but notifies no initramfs handler");
    });
    Problems ok = new Problems();
    HostLint.Declared notifying = new HostLint.Declared(blacklist.id(), blacklist.module(), blacklist.params(),
        List.of("initramfs[rebuild]"));
    new GpuLints.UnnotifiedHandlers().check(List.of(notifying, driver, cuda), ok);
    assertThat(ok.all()).isEmpty();
  }

  @Test
  void lint_iommuVendor_withoutKernelCmdline_readsNoFact() {
    Problems p = new Problems();
    new GpuLints.IommuVendor().checkWithFacts(List.of(PciPassthroughTest.declared(new NvidiaDriver(), Map.of("version", "1"))),
        FactSet.of(Map.of()), p);
    assertThat(p.all()).isEmpty();
  }

  static final String SYSFS = PciPassthroughTest.BOUND;

  @Test
  void assert_conditions() {
    Change ok = Fixtures.of(ASSERT, Map.of("that", "iommu_groups_nonempty")).cmd(PciDevices.FACT, SYSFS).diff();
    assertThat(ok.action()).isEqualTo(Action.NONE);
    Change off = Fixtures.of(ASSERT, Map.of("that", "iommu_groups_nonempty", "message", "IOMMU must be on after the reboot"))
        .cmd(PciDevices.FACT, "dev 0000:42:00.0 0x10de 0x1b80 0x030000 nouveau -\n").diff();
    assertThat(off.blockers()).containsExactly("IOMMU must be on after the reboot (/sys/kernel/iommu_groups is empty: the IOMMU is off)");

    Map<String, Object> bound = Map.of("that", Map.of("driver_bound", Map.of("address", "0000:42:00.1", "driver", "vfio-pci")));
    assertThat(Fixtures.of(ASSERT, bound).cmd(PciDevices.FACT, SYSFS).diff().action()).isEqualTo(Action.NONE);
    assertThat(Fixtures.of(ASSERT, bound).cmd(PciDevices.FACT, PciPassthroughTest.LAB).diff().blockers())
        .containsExactly("assertion failed: 0000:42:00.1 is bound to snd_hda_intel, not vfio-pci");

    Map<String, Object> loaded = Map.of("that", Map.of("module_loaded", "vfio-pci"));
    assertThat(Fixtures.of(ASSERT, loaded).loaded("vfio_pci").diff().action()).isEqualTo(Action.NONE);
    assertThat(Fixtures.of(ASSERT, loaded).loaded("vfio").diff().blockers()).containsExactly("assertion failed: module vfio-pci is not loaded");

    Map<String, Object> file = Map.of("that", Map.of("file_contains", Map.of("path", "/proc/cmdline", "text", "intel_iommu=on")));
    assertThat(Fixtures.of(ASSERT, file).file("/proc/cmdline", "ro intel_iommu=on\n").diff().action()).isEqualTo(Action.NONE);
    assertThat(Fixtures.of(ASSERT, file).file("/proc/cmdline", "ro\n").diff().blockers())
        .containsExactly("assertion failed: /proc/cmdline does not contain 'intel_iommu=on'");

    Map<String, Object> cmd = Map.of("that", Map.of("command", "test -e /dev/vfio/vfio"));
    var fact = dev.plumb.facts.Fact.command("test -e /dev/vfio/vfio");
    assertThat(Fixtures.of(ASSERT, cmd).cmd(fact, 0, "").diff().action()).isEqualTo(Action.NONE);
    assertThat(Fixtures.of(ASSERT, cmd).cmd(fact, 1, "").diff().blockers())
        .containsExactly("assertion failed: command exited 1: test -e /dev/vfio/vfio");
  }

  @Test
  void assert_validate() {
    assertThat(Fixtures.validate(ASSERT, Map.of("that", "iommu_group_nonempty")).all()).extracting(Problem::message)
        .containsExactly("that must be one of iommu_groups_nonempty, driver_bound, module_loaded, file_contains, command, "
            + "not 'iommu_group_nonempty'; did you mean iommu_groups_nonempty?");
    assertThat(Fixtures.validate(ASSERT, Map.of("that", Map.of("driver_bound", Map.of("address", "x")))).hasErrors()).isTrue();
  }

  @Test
  void registration_typesUnique_paramsDocumented_keyParamsDeclared() {
    List<Module> all = GpuModules.all();
    assertThat(all).extracting(Module::type).doesNotHaveDuplicates().containsExactly("kernel_cmdline", "module_blacklist",
        "initramfs", "kernel_module", "pci_passthrough", "nvidia_driver", "cuda_toolkit", "nova_pci", "openstack_flavor",
        "hide_hypervisor", "assert");
    for (Module m : all) {
      assertThat(m.description()).isNotBlank();
      assertThat(m.params()).allSatisfy(p -> assertThat(p.doc()).isNotBlank());
      if (m.keyParam() != null) {
        assertThat(m.params()).extracting(Param::name).contains(m.keyParam());
      }
    }
    assertThat(GpuModules.lints()).extracting(HostLint::name).doesNotHaveDuplicates().hasSize(7);
    assertThat(new HashSet<>(GpuModules.lints())).hasSize(7);
    assertThat(FactSet.of(Map.of())).isNotNull();
    assertThat(FactResult.content("")).isNotNull();
  }

  @Test
  void userNamesThatLookLikeOptions_areOperandsAfterDoubleDash() {
    Map<String, Object> flavor = Map.of("flavor", "--public", "properties", Map.of("a", "b"));
    var show = OpenstackProperties.show("flavor", "--public");
    assertThat(show.script()).endsWith("flavor show -f json -- --public");
    assertThat(Fixtures.of(FLAVOR, flavor).cmd(show, "{\"properties\": {}}").diff().commands()).singleElement()
        .satisfies(c -> assertThat(c.argv()).containsExactly("openstack", "flavor", "set", "--property", "a=b", "--", "--public"));
    Map<String, Object> domain = Map.of("method", "libvirt", "domain", "-c");
    assertThat(HideHypervisor.dumpxml("-c").script()).endsWith("virsh dumpxml --domain -c");
    assertThat(Fixtures.of(HIDE, domain).cmd(HideHypervisor.dumpxml("-c"), XML.formatted("")).tools("virsh", "virt-xml").diff()
        .commands()).singleElement()
        .satisfies(c -> assertThat(c.argv()).containsExactly("virt-xml", "--edit", "--features", "kvm_hidden=on", "--", "-c"));
  }
}

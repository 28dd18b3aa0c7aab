package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.HostLint;
import dev.plumb.source.Problems;
import java.util.List;
import java.util.Optional;

/**
 * Cross-resource checks of one host's GPU resources.
 *
 * <p>One class of small nested lints (each some 20 to 50 lines, with nothing shared but {@code
 * all()}) rather than a file each: the list of what is checked across resources reads in one
 * place.
 */
final class GpuLints {
  private GpuLints() {}

  static List<HostLint> all() {
    return List.of(new DriverVersusPassthrough(), new DriverBlacklisted(), new UnnotifiedHandlers(), new PassthroughAddress(),
        new IommuVendor(), new LibvirtUnderNova(), new UnscopedHideHypervisor());
  }

  /** The NVIDIA driver and vfio binding of NVIDIA devices cannot share a host. */
  static final class DriverVersusPassthrough implements HostLint {
    @Override
    public String name() {
      return "gpu-driver-vs-passthrough";
    }

    @Override
    public void check(List<Declared> resources, Problems problems) {
      Optional<Declared> driver = HostLint.first(resources, "nvidia_driver");
      if (driver.isEmpty()) {
        return;
      }
      for (Declared r : resources) {
        if (r.type().equals("pci_passthrough") && PciDevices.hex(r.params().optional("vendor").orElse("")).equals("10de")) {
          problems.error(r.params().mark(), "nvidia_driver (" + driver.get().params().mark() + ") and pci_passthrough of NVIDIA devices ("
              + r.params().mark() + ") on one host: the NVIDIA driver would grab the GPU that vfio-pci must own",
              "a passthrough hypervisor must not run the NVIDIA driver; declare nvidia_driver only on GPU guests or bare-metal nodes");
        }
      }
    }
  }

  /** A pci_passthrough whose device id is not the one of the GPU at its address. */
  static final class PassthroughAddress implements HostLint {
    @Override
    public String name() {
      return "gpu-passthrough-address";
    }

    @Override
    public List<Fact> facts(List<Declared> resources) {
      return resources.stream().anyMatch(r -> r.type().equals("pci_passthrough")) ? List.of(PciDevices.FACT) : List.of();
    }

    @Override
    public void checkWithFacts(List<Declared> resources, FactSet facts, Problems problems) {
      for (Declared r : resources) {
        if (r.type().equals("pci_passthrough")) {
          PciPassthrough.addressMismatch(r.params(), PciDevices.read(facts)).ifPresent(m ->
              problems.error(r.params().mark("address"), m, "fix device or address (see lspci -nn)"));
        }
      }
    }
  }

  /** intel_iommu on an AMD CPU, amd_iommu on an Intel one. */
  static final class IommuVendor implements HostLint {
    /**
     * {@code grep -m1 '^vendor_id' /proc/cpuinfo}, output and exit status, by the shell alone (no
     * process), inline (no subshell: it returns, never exits).
     */
    static final Fact.Command CPU_VENDOR = Fact.Command.inline("while IFS= read -r l || [ -n \"$l\" ]; do "
        + "case $l in vendor_id*) printf '%s\\n' \"$l\"; return 0;; esac; done </proc/cpuinfo || return 2; return 1");

    @Override
    public String name() {
      return "gpu-iommu-cpu-vendor";
    }

    @Override
    public List<Fact> facts(List<Declared> resources) {
      return resources.stream().anyMatch(r -> r.type().equals("kernel_cmdline")) ? List.of(CPU_VENDOR) : List.of();
    }

    static String vendor(String cpuinfoLine) {
      int colon = cpuinfoLine.indexOf(':');
      return colon < 0 ? "" : cpuinfoLine.substring(colon + 1).strip();
    }

    @Override
    public void checkWithFacts(List<Declared> resources, FactSet facts, Problems problems) {
      if (facts(resources).isEmpty()) {
        return;
      }
      String vendor = vendor(facts.command(CPU_VENDOR.script()).text());
      for (Declared r : resources) {
        if (!r.type().equals("kernel_cmdline")) {
          continue;
        }
        List<KernelCmdline.TokenAt> present = KernelCmdline.tokens(r.params(), "present");
        boolean intelOn = present.stream().anyMatch(t -> t.text().equals("intel_iommu=on"));
        for (KernelCmdline.TokenAt t : present) {
          String key = KernelParameters.normal(CmdlineTokens.key(t.text()));
          if (key.equals("intel_iommu") && vendor.equals("AuthenticAMD")) {
            problems.warning(t.mark(), "this host's CPU is AuthenticAMD; intel_iommu has no effect, AMD's IOMMU is on by default (use iommu=pt)",
                "remove " + t.text() + " for AMD hosts");
          } else if (key.equals("amd_iommu") && vendor.equals("GenuineIntel")) {
            String m = "this host's CPU is GenuineIntel; amd_iommu has no effect there";
            if (intelOn) {
              problems.warning(t.mark(), m, "remove " + t.text() + " for Intel hosts");
            } else {
              problems.error(t.mark(), m + ", so the IOMMU stays off", "use intel_iommu=on on Intel hosts");
            }
          }
        }
      }
    }
  }

  /** hide_hypervisor through libvirt on a nova compute host: nova rewrites the domain XML. */
  static final class LibvirtUnderNova implements HostLint {
    @Override
    public String name() {
      return "gpu-hide-hypervisor-under-nova";
    }

    @Override
    public void check(List<Declared> resources, Problems problems) {
      Optional<Declared> nova = resources.stream()
          .filter(r -> r.type().equals("nova_pci") && !r.params().optional("role").orElse("both").equals("controller"))
          .findFirst();
      if (nova.isEmpty()) {
        return;
      }
      for (Declared r : resources) {
        if (r.type().equals("hide_hypervisor") && r.params().optional("method").orElse("").equals("libvirt")) {
          problems.error(r.params().mark("method"), "hide_hypervisor method libvirt on a nova compute host (nova_pci at "
              + nova.get().params().mark() + "): nova rewrites the domain XML, so the edit would not last",
              "use method: nova with an image (Pike+) or flavor (Rocky+)");
        }
      }
    }
  }

  /** The NVIDIA driver declared while a module_blacklist stops it from loading. */
  static final class DriverBlacklisted implements HostLint {
    @Override
    public String name() {
      return "gpu-driver-blacklisted";
    }

    @Override
    public void check(List<Declared> resources, Problems problems) {
      Optional<Declared> driver = HostLint.first(resources, "nvidia_driver");
      if (driver.isEmpty()) {
        return;
      }
      for (Declared r : resources) {
        if (r.type().equals("kernel_cmdline")) {
          for (KernelCmdline.TokenAt t : KernelCmdline.tokens(r.params(), "present")) {
            String key = KernelParameters.normal(CmdlineTokens.key(t.text()));
            if ((key.equals("modprobe.blacklist") || key.equals("module_blacklist")) && t.text().contains("=")
                && List.of(t.text().substring(t.text().indexOf('=') + 1).split(",")).stream().map(GpuFacts::moduleName).anyMatch("nvidia"::equals)) {
              problems.error(t.mark(), t.text() + " on the kernel command line and nvidia_driver (" + driver.get().params().mark()
                  + ") on one host: the driver would never load", "remove nvidia from " + key);
            }
          }
        }
        if (!r.type().equals("module_blacklist")) {
          continue;
        }
        for (KernelCmdline.TokenAt m : KernelCmdline.tokens(r.params(), "modules")) {
          if (GpuFacts.moduleName(m.text()).equals("nvidia")) {
            problems.error(m.mark(), "module_blacklist of nvidia (" + m.mark() + ") and nvidia_driver ("
                + driver.get().params().mark() + ") on one host: the driver would never load", "blacklist nouveau, not nvidia");
          }
        }
      }
    }
  }

  /**
   * A change that reaches the system only through a handler, with no such handler notified: a
   * modprobe.d edit the initramfs never sees, a nova.conf nova never rereads.
   */
  static final class UnnotifiedHandlers implements HostLint {
    @Override
    public String name() {
      return "gpu-unnotified-handlers";
    }

    @Override
    public void check(List<Declared> resources, Problems problems) {
      for (Declared r : resources) {
        if ((r.type().equals("module_blacklist") || r.type().equals("pci_passthrough")) && !r.notifiesType("initramfs")) {
          problems.warning(r.params().mark(), r.id() + " changes modprobe.d but notifies no initramfs handler: "
              + "at boot the initramfs keeps the old copy and the change does not take effect",
              "declare '- initramfs: {}' with a name under handlers: and add notify: <that name> here");
        }
        if (r.type().equals("nova_pci") && !r.notifiesType("service")) {
          problems.warning(r.params().mark(), r.id() + " changes nova.conf but notifies no service handler: "
              + "nova reads its configuration only when it starts",
              "declare '- service: {name: nova-compute, state: restarted}' under handlers: and notify it");
        }
      }
    }
  }

  /**
   * nova bug 1841932: from rocky to ussuri the flavor extra spec is the unscoped
   * hide_hypervisor_id, and AggregateInstanceExtraSpecsFilter matches every unscoped extra spec
   * against aggregate metadata, so no host passes and the flavor can never be scheduled (victoria
   * renamed it hw:hide_hypervisor_id).
   */
  static final class UnscopedHideHypervisor implements HostLint {
    static final String FILTER = "AggregateInstanceExtraSpecsFilter";

    @Override
    public String name() {
      return "gpu-unscoped-hide-hypervisor-id";
    }

    static Optional<Declared> unscoped(List<Declared> resources) {
      return resources.stream().filter(r -> r.type().equals("hide_hypervisor") && r.params().optional("method").orElse("").equals("nova")
          && r.params().has("flavor") && r.params().optional("openstack_release").flatMap(NovaRelease::of)
              .filter(rel -> rel.atLeastRocky() && !rel.atLeastVictoria()).isPresent()).findFirst();
    }

    private static List<Declared> controllers(List<Declared> resources) {
      return resources.stream().filter(r -> r.type().equals("nova_pci") && !r.params().optional("role").orElse("both").equals("compute")).toList();
    }

    private static void report(Declared hide, String where, Problems problems) {
      problems.error(hide.params().mark("flavor"), "the flavor extra spec hide_hypervisor_id (unscoped in "
          + hide.params().string("openstack_release") + ") together with " + FILTER + " (" + where
          + ") leaves no host for the flavor: the filter matches unscoped extra specs against aggregate metadata (nova bug 1841932)",
          "use image: <name> (img_hide_hypervisor_id) instead of flavor, or drop " + FILTER + ", or upgrade to victoria (hw:hide_hypervisor_id)");
    }

    @Override
    public void check(List<Declared> resources, Problems problems) {
      Optional<Declared> hide = unscoped(resources);
      if (hide.isEmpty()) {
        return;
      }
      for (Declared n : controllers(resources)) {
        for (KernelCmdline.TokenAt f : KernelCmdline.tokens(n.params(), "filters_add")) {
          if (f.text().equals(FILTER)) {
            report(hide.get(), "filters_add at " + f.mark(), problems);
            return;
          }
        }
      }
    }

    @Override
    public List<Fact> facts(List<Declared> resources) {
      if (unscoped(resources).isEmpty()) {
        return List.of();
      }
      return controllers(resources).stream().map(n -> (Fact) Fact.file(n.params().string("path"))).distinct().toList();
    }

    @Override
    public void checkWithFacts(List<Declared> resources, FactSet facts, Problems problems) {
      Optional<Declared> hide = unscoped(resources);
      if (hide.isEmpty() || resources.stream().anyMatch(r -> r.type().equals("nova_pci")
          && KernelCmdline.tokens(r.params(), "filters_add").stream().anyMatch(t -> t.text().equals(FILTER)))) {
        return;
      }
      for (Declared n : controllers(resources)) {
        String path = n.params().string("path");
        Optional<dev.plumb.facts.FactResult.Content> file = facts.file(path);
        if (file.isEmpty()) {
          continue;
        }
        dev.plumb.modules.IniDocument conf = dev.plumb.modules.IniDocument.parse(file.get().text());
        for (NovaRelease.Option o : List.of(NovaRelease.ENABLED_FILTERS, NovaRelease.DEFAULT_FILTERS)) {
          for (String v : conf.values(o.section(), o.name())) {
            if (SchedulerFilters.split(v).contains(FILTER)) {
              report(hide.get(), o + " in " + path, problems);
              return;
            }
          }
        }
      }
    }
  }
}

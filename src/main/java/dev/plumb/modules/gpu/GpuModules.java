package dev.plumb.modules.gpu;

import dev.plumb.modules.HostLint;
import dev.plumb.modules.Module;
import java.util.List;

/** The GPU host modules and their cross-resource lints, registered by {@code cli.Builtins}. */
public final class GpuModules {
  private GpuModules() {}

  /** The first line of every file a GPU module owns whole. */
  static final String MANAGED_HEADER = "# managed by plumb";

  /** In the order `plumb modules` shows them (the order a GPU host is converged in). */
  public static List<Module> all() {
    return List.of(new KernelCmdline(), new ModuleBlacklist(), new Initramfs(), new KernelModule(), new PciPassthrough(),
        new NvidiaDriver(), new CudaToolkit(), new NovaPci(), new OpenstackFlavor(), new HideHypervisor(), new Assert());
  }

  public static List<HostLint> lints() {
    return GpuLints.all();
  }
}

package dev.plumb.modules;

import java.util.ArrayList;
import java.util.List;

/** The list of built-in modules, in the order {@code plumb modules} shows them. */
final class BuiltinModules {
  private BuiltinModules() {}

  static List<Module> all() {
    List<Module> modules = new ArrayList<>();
    // Generic modules.
    modules.add(new FileModule());
    modules.add(new LineModule());
    modules.add(new IniModule());
    modules.add(new CommandModule());
    modules.add(new ServiceModule());
    modules.add(new PackageModule());
    // GPU modules (dev.plumb.modules.gpu).
    modules.addAll(dev.plumb.modules.gpu.GpuModules.all());
    return modules;
  }

  static List<HostLint> lints() {
    List<HostLint> lints = new ArrayList<>();
    lints.addAll(dev.plumb.modules.gpu.GpuModules.lints());
    return lints;
  }
}

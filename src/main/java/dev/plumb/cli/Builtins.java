package dev.plumb.cli;

import dev.plumb.modules.CommandModule;
import dev.plumb.modules.FileModule;
import dev.plumb.modules.IniModule;
import dev.plumb.modules.LineModule;
import dev.plumb.modules.ModuleRegistry;
import dev.plumb.modules.PackageModule;
import dev.plumb.modules.ServiceModule;
import dev.plumb.modules.gpu.GpuModules;

/**
 * The built-in resource types, registered by hand in the order {@code plumb modules} shows them
 * (no classpath scanning: the JVM starts fast). The registry is assembled here, by the CLI, so
 * that {@code modules} never imports {@code modules.gpu}: the GPU types build on the generic
 * ones, never the other way round.
 */
public final class Builtins {
  private Builtins() {}

  /** A fresh registry with every built-in module and lint. */
  public static ModuleRegistry registry() {
    ModuleRegistry registry = ModuleRegistry.empty();
    registry.register(new FileModule());
    registry.register(new LineModule());
    registry.register(new IniModule());
    registry.register(new CommandModule());
    registry.register(new ServiceModule());
    registry.register(new PackageModule());
    GpuModules.all().forEach(registry::register);
    GpuModules.lints().forEach(registry::register);
    return registry;
  }
}

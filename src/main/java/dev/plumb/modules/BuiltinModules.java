package dev.plumb.modules;

import java.util.ArrayList;
import java.util.List;

/** The list of built-in modules, in the order {@code plumb modules} shows them. */
final class BuiltinModules {
  private BuiltinModules() {}

  static List<Module> all() {
    List<Module> modules = new ArrayList<>();
    // Generic modules.
    // GPU modules (dev.plumb.modules.gpu).
    return modules;
  }

  static List<HostLint> lints() {
    List<HostLint> lints = new ArrayList<>();
    return lints;
  }
}

package dev.plumb.modules;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The resource types plumb knows: built-ins, registered by hand by the CLI ({@code cli.Builtins}:
 * no classpath scanning, so the JVM starts fast), plus YAML modules loaded from a {@code modules/}
 * directory.
 */
public final class ModuleRegistry {
  private final Map<String, Module> byType = new LinkedHashMap<>();
  private final java.util.List<HostLint> lints = new java.util.ArrayList<>();

  public static ModuleRegistry empty() {
    return new ModuleRegistry();
  }

  /** Adds a module; a second module of the same type replaces nothing and fails. */
  public ModuleRegistry register(Module module) {
    Module previous = byType.putIfAbsent(module.type(), module);
    if (previous != null && previous != module) {
      throw new IllegalArgumentException("resource type '" + module.type() + "' is defined twice");
    }
    return this;
  }

  public ModuleRegistry register(HostLint lint) {
    lints.add(lint);
    return this;
  }

  public java.util.List<HostLint> lints() {
    return java.util.Collections.unmodifiableList(lints);
  }

  public Optional<Module> find(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  public boolean has(String type) {
    return byType.containsKey(type);
  }

  public Collection<Module> all() {
    return Collections.unmodifiableCollection(byType.values());
  }
}

package dev.plumb.modules;

import java.util.List;
import java.util.Objects;

/**
 * What a resource type says about itself, declared once: the name playbooks use, one sentence for
 * {@code plumb modules}, the parameter that names a resource, and the parameters the loader checks.
 * A module returns it from {@link Module#spec}; its file then holds only its facts, diff and
 * commands.
 *
 * @param type the resource type as written in playbooks, e.g. {@code file}, {@code kernel_cmdline}
 * @param description one sentence for {@code plumb modules} and error messages
 * @param keyParam the parameter whose value names a resource that has no {@code name} (the id of
 *     {@code - file: {path: /etc/x}} is {@code file[/etc/x]}); null when resources need a name
 * @param params the parameters it accepts, in the order {@code plumb modules} shows them
 */
public record ModuleSpec(String type, String description, String keyParam, List<Param> params) {

  /** @throws IllegalArgumentException when {@code keyParam} is not one of {@code params} */
  public ModuleSpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    params = List.copyOf(params);
    if (keyParam != null && params.stream().noneMatch(p -> p.name().equals(keyParam))) {
      throw new IllegalArgumentException("module " + type + ": key parameter '" + keyParam + "' is not declared");
    }
  }

  /** A type whose resources are named by {@code keyParam} when they have no {@code name}. */
  public static ModuleSpec of(String type, String description, String keyParam, Param... params) {
    return new ModuleSpec(type, description, keyParam, List.of(params));
  }

  /** A type whose every resource needs a {@code name} (nothing in its parameters names it). */
  public static ModuleSpec needingName(String type, String description, Param... params) {
    return new ModuleSpec(type, description, null, List.of(params));
  }
}

package dev.plumb.load;

import dev.plumb.modules.Param;
import dev.plumb.modules.YamlModule;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Mark;
import java.util.List;

/**
 * A resource type written in YAML ({@code modules/<type>.yml}), parsed and checked; turned into a
 * {@code Module} by a factory the caller gives {@link Loader}.
 *
 * @param type the resource type, as written in playbooks
 * @param description one sentence
 * @param params its parameters
 * @param fact a shell command reading the current state, with {@code {{ param }}} placeholders
 * @param converged how the fact's result says the resource is converged
 * @param converge shell commands that converge it, each with {@code {{ param }}} placeholders
 * @param takesEffect now, after a reboot, or after a restart of something
 * @param mark where the spec starts
 * @param keyParam the parameter naming a resource without a {@code name} (null: a name is needed)
 */
public record YamlModuleSpec(
    String type,
    String description,
    List<Param> params,
    String fact,
    YamlModule.Condition converged,
    List<String> converge,
    TakesEffect takesEffect,
    Mark mark,
    String keyParam) {

  public YamlModuleSpec {
    params = List.copyOf(params);
    converge = List.copyOf(converge);
  }

  /** Without an explicit key: the first required parameter names the resource. */
  public YamlModuleSpec(String type, String description, List<Param> params, String fact, YamlModule.Condition converged,
      List<String> converge, TakesEffect takesEffect, Mark mark) {
    this(type, description, params, fact, converged, converge, takesEffect, mark,
        params.stream().filter(Param::required).map(Param::name).findFirst().orElse(null));
  }

  /** The module this spec defines. */
  public YamlModule module() {
    return new YamlModule(type, description, params, fact, converged, converge, takesEffect, keyParam);
  }
}

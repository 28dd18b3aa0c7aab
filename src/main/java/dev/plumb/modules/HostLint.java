package dev.plumb.modules;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactSet;
import dev.plumb.source.Problems;
import java.util.List;
import java.util.Optional;

/**
 * A check across all resources of one host (a single module cannot see a conflict between two
 * resources). {@link #check} runs at load time without facts (errors stop the run before any host
 * is contacted); {@link #checkWithFacts} runs at plan time with the host's facts (errors fail that
 * host only, before anything is applied).
 */
public interface HostLint {

  /** A resource as a lint sees it, with the ids of the handlers it notifies. */
  record Declared(String id, Module module, Params params, List<String> notifies) {
    public Declared {
      notifies = List.copyOf(notifies);
    }

    public Declared(String id, Module module, Params params) {
      this(id, module, params, List.of());
    }

    public String type() {
      return module.type();
    }

    /** Whether it notifies a handler of this type (ids are {@code type[name]}). */
    public boolean notifiesType(String type) {
      return notifies.stream().anyMatch(id -> id.startsWith(type + "["));
    }
  }

  /** A name for messages and {@code plumb lint --list}. */
  String name();

  /** Static checks: problems carry the marks of the offending values. */
  default void check(List<Declared> resources, Problems problems) {}

  /** Facts {@link #checkWithFacts} needs beyond what the resources read. */
  default List<Fact> facts(List<Declared> resources) {
    return List.of();
  }

  /** Checks against the host's facts. */
  default void checkWithFacts(List<Declared> resources, FactSet facts, Problems problems) {}

  /** The first declared resource of a type, for lints that look for one. */
  static Optional<Declared> first(List<Declared> resources, String type) {
    return resources.stream().filter(r -> r.type().equals(type)).findFirst();
  }
}

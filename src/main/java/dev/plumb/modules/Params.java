package dev.plumb.modules;

import dev.plumb.source.Mark;
import dev.plumb.source.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A resource's parameters after variable substitution, checked by the loader against the
 * module's {@link Param}s: typed accessors never see a value of the wrong shape.
 */
public final class Params {
  private final Value.Map values;
  private final Map<String, Param> spec;

  public Params(Value.Map values, List<Param> spec) {
    this.values = values;
    Map<String, Param> bySpec = new LinkedHashMap<>();
    spec.forEach(p -> bySpec.put(p.name(), p));
    this.spec = bySpec;
  }

  /** Parameters from plain Java values, for tests and built-in resources. */
  public static Params of(Map<String, ?> plain, List<Param> spec) {
    return new Params((Value.Map) Value.fromPlain(plain, Mark.nowhere("test")), spec);
  }

  public boolean has(String name) {
    return values.get(name).filter(v -> !(v instanceof Value.Null)).isPresent();
  }

  public Optional<Value> value(String name) {
    return values.get(name).filter(v -> !(v instanceof Value.Null));
  }

  /** Where the parameter's value was written (the resource's mark when absent). */
  public Mark mark(String name) {
    return values.get(name).map(Value::mark).orElse(values.mark());
  }

  /** The resource's own mark. */
  public Mark mark() {
    return values.mark();
  }

  /** A scalar parameter, or its default; empty when neither exists. */
  public Optional<String> optional(String name) {
    Optional<Value> v = value(name);
    if (v.isPresent()) {
      return v.get() instanceof Value.Scalar s ? Optional.of(s.text()) : Optional.empty();
    }
    Param p = spec.get(name);
    return p == null ? Optional.empty() : Optional.ofNullable(p.defaultValue());
  }

  /** A scalar parameter that is required or has a default. */
  public String string(String name) {
    return optional(name)
        .orElseThrow(() -> new IllegalStateException("parameter " + name + " has no value and no default"));
  }

  public boolean bool(String name) {
    return optional(name).map(Params::parseBool).orElse(false);
  }

  public long integer(String name) {
    return Long.parseLong(string(name).trim());
  }

  /** A STRINGS or LIST-of-scalars parameter; a single string is a list of one. */
  public List<String> strings(String name) {
    Optional<Value> v = value(name);
    if (v.isEmpty()) {
      return optional(name).map(List::of).orElse(List.of());
    }
    if (v.get() instanceof Value.Scalar s) {
      return List.of(s.text());
    }
    List<String> out = new ArrayList<>();
    if (v.get() instanceof Value.Seq seq) {
      for (Value item : seq.items()) {
        if (item instanceof Value.Scalar s) {
          out.add(s.text());
        }
      }
    }
    return out;
  }

  /** The items of a LIST parameter, with their marks. */
  public List<Value> items(String name) {
    return value(name).filter(Value.Seq.class::isInstance).map(v -> ((Value.Seq) v).items()).orElse(List.of());
  }

  /** A MAP parameter. */
  public Optional<Value.Map> map(String name) {
    return value(name).filter(Value.Map.class::isInstance).map(Value.Map.class::cast);
  }

  public Value.Map raw() {
    return values;
  }

  public static boolean parseBool(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      default -> false;
    };
  }

  public static boolean isBool(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1", "false", "no", "off", "0" -> true;
      default -> false;
    };
  }

  @Override
  public String toString() {
    return String.valueOf(values.toPlain());
  }
}

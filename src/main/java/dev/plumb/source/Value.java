package dev.plumb.source;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML value with the place it was written, after variable substitution.
 *
 * <p>Scalars stay text: a module decides whether "0644" is a string or a number, so nothing is
 * lost to YAML's implicit typing ({@code on}, {@code 0644}, {@code 1e3}).
 */
public sealed interface Value {

  Mark mark();

  /** A short word for messages: "a string", "a list", "a mapping", "null". */
  String kind();

  record Scalar(String text, Mark mark) implements Value {
    @Override
    public String kind() {
      return "a string";
    }
  }

  record Seq(List<Value> items, Mark mark) implements Value {
    public Seq {
      items = List.copyOf(items);
    }

    @Override
    public String kind() {
      return "a list";
    }
  }

  record Map(java.util.Map<String, Value> entries, java.util.Map<String, Mark> keyMarks, Mark mark)
      implements Value {
    public Map {
      entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
      keyMarks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keyMarks));
    }

    public Optional<Value> get(String key) {
      return Optional.ofNullable(entries.get(key));
    }

    /** Where the key itself was written, or the mapping's mark when unknown. */
    public Mark keyMark(String key) {
      return keyMarks.getOrDefault(key, mark);
    }

    @Override
    public String kind() {
      return "a mapping";
    }
  }

  record Null(Mark mark) implements Value {
    @Override
    public String kind() {
      return "null";
    }
  }

  static Scalar of(String text) {
    return new Scalar(text, Mark.nowhere("built-in"));
  }

  /** Plain Java form (String, List, LinkedHashMap, null), for JSON comparison and rendering. */
  default Object toPlain() {
    if (this instanceof Scalar s) {
      return s.text();
    }
    if (this instanceof Seq q) {
      return q.items().stream().map(Value::toPlain).toList();
    }
    if (this instanceof Map m) {
      java.util.Map<String, Object> out = new LinkedHashMap<>();
      m.entries().forEach((k, v) -> out.put(k, v.toPlain()));
      return out;
    }
    return null;
  }

  /** A Value from plain Java data (String/Number/Boolean, List, Map, null); marks are "nowhere". */
  static Value fromPlain(Object plain, Mark mark) {
    if (plain == null) {
      return new Null(mark);
    }
    if (plain instanceof List<?> list) {
      return new Seq(list.stream().map(o -> fromPlain(o, mark)).toList(), mark);
    }
    if (plain instanceof java.util.Map<?, ?> map) {
      java.util.Map<String, Value> entries = new LinkedHashMap<>();
      map.forEach((k, v) -> entries.put(String.valueOf(k), fromPlain(v, mark)));
      return new Map(entries, java.util.Map.of(), mark);
    }
    return new Scalar(String.valueOf(plain), mark);
  }
}

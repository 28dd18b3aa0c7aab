package dev.plumb.source;

import dev.plumb.text.Sensitive;
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

  /**
   * Text. {@code sensitive}: a secret (declared {@code sensitive:}, a credential-like variable
   * name, a vault value, or text built from one of these); see {@link Sensitive}.
   */
  record Scalar(String text, Mark mark, boolean sensitive) implements Value {
    public Scalar(String text, Mark mark) {
      this(text, mark, false);
    }

    @Override
    public String kind() {
      return "a string";
    }

    @Override
    public String toString() {
      return "Scalar[text=" + (sensitive ? Sensitive.SHOWN : text) + ", mark=" + mark + ", sensitive=" + sensitive + "]";
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

  /** The same value with every scalar in it marked sensitive. */
  static Value sensitive(Value v) {
    if (v instanceof Scalar s) {
      return s.sensitive() ? s : new Scalar(s.text(), s.mark(), true);
    }
    if (v instanceof Seq q) {
      return new Seq(q.items().stream().map(Value::sensitive).toList(), q.mark());
    }
    if (v instanceof Map m) {
      java.util.Map<String, Value> entries = new LinkedHashMap<>();
      m.entries().forEach((k, x) -> entries.put(k, sensitive(x)));
      return new Map(entries, m.keyMarks(), m.mark());
    }
    return v;
  }

  /** Every sensitive scalar's text in this value. */
  static void sensitiveTexts(Value v, java.util.Collection<String> into) {
    if (v instanceof Scalar s && s.sensitive()) {
      into.add(s.text());
    } else if (v instanceof Seq q) {
      q.items().forEach(i -> sensitiveTexts(i, into));
    } else if (v instanceof Map m) {
      m.entries().values().forEach(i -> sensitiveTexts(i, into));
    }
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

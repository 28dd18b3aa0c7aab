package dev.plumb.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) reader and writer over plain Java values, for modules that compare
 * or write JSON-valued settings (nova's {@code pci.alias}, daemon.json).
 *
 * <p>Values are {@link LinkedHashMap} (key order kept), {@link List}, {@link String}, {@link
 * BigDecimal}, {@link Boolean} and {@code null}. The reader rejects what RFC 8259 rejects (trailing
 * commas, comments, leading zeros, NaN, control characters in strings, trailing text) and, being
 * strict, duplicate keys in an object.
 *
 * <p>Reading and writing are Jackson's streaming core (its defaults are RFC 8259's strictness); this
 * class maps tokens to plain values and says what equal values are, and {@link JsonWriter} fixes
 * the output form. The reader refuses a lone surrogate escape in an object key.
 */
public final class Json {
  private Json() {}

  private static final int MAX_DEPTH = 512;

  /** Strict reading (duplicate keys refused, nesting bounded); {@link JsonWriter} writes with it too. */
  static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .build();

  /**
   * Parses one JSON text.
   *
   * @throws IllegalArgumentException naming the line, column and what was expected
   */
  public static Object parse(String text) {
    JsonParser p = null;
    try {
      p = FACTORY.createParser(text);
      JsonToken first = p.nextToken();
      if (first == null) {
        throw error(p.currentLocation(), "expected a JSON value, found end of input");
      }
      Object value = value(p, first);
      if (p.nextToken() != null) {
        throw error(p.currentTokenLocation(), "expected end of input after the JSON value, found '" + p.getText() + "'");
      }
      return value;
    } catch (JsonProcessingException e) {
      // Limits (nesting depth) come without a location: the parser's position is where it stopped.
      JsonLocation at = e.getLocation() != null ? e.getLocation() : p != null ? p.currentLocation() : JsonLocation.NA;
      throw error(at, e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (p != null) {
        try {
          p.close();
        } catch (IOException e) {
          // A string source has nothing to release.
        }
      }
    }
  }

  /** Whether {@code text} is one well-formed JSON text. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Compact JSON: no whitespace. */
  public static String write(Object value) {
    return JsonWriter.write(value, false);
  }

  /** JSON indented by two spaces, one member or element per line. */
  public static String pretty(Object value) {
    return JsonWriter.write(value, true);
  }

  /**
   * Whether both texts parse and denote the same value: key order and whitespace are ignored,
   * numbers compare numerically ({@code 1.0} equals {@code 1}). False when either does not parse.
   */
  public static boolean equivalent(String a, String b) {
    Object x;
    Object y;
    try {
      x = parse(a);
      y = parse(b);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return sameValue(x, y);
  }

  /** Value equality as {@link #equivalent} defines it, on parsed values. */
  public static boolean sameValue(Object x, Object y) {
    if (x instanceof BigDecimal p && y instanceof BigDecimal q) {
      return p.compareTo(q) == 0;
    }
    if (x instanceof Map<?, ?> m && y instanceof Map<?, ?> n) {
      if (m.size() != n.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!n.containsKey(e.getKey()) || !sameValue(e.getValue(), n.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (x instanceof List<?> l && y instanceof List<?> k) {
      if (l.size() != k.size()) {
        return false;
      }
      Iterator<?> i = l.iterator();
      Iterator<?> j = k.iterator();
      while (i.hasNext()) {
        if (!sameValue(i.next(), j.next())) {
          return false;
        }
      }
      return true;
    }
    return x == null ? y == null : x.equals(y);
  }

  // ---- reading

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String key = p.currentName();
          map.put(key, value(p, p.nextToken()));
        }
        yield map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          list.add(value(p, e));
        }
        yield list;
      }
      case VALUE_STRING -> p.getText();
      // The number as written, scale included ("2.50" stays 2.50): sameValue compares numerically.
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new BigDecimal(p.getText());
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw error(p.currentTokenLocation(), "expected a JSON value, found " + t.asString());
    };
  }

  private static IllegalArgumentException error(JsonLocation at, String what) {
    String where = at.getLineNr() > 0 ? "line " + at.getLineNr() + ", column " + at.getColumnNr() : "an unknown place";
    // Jackson's messages name the character and its code; the first line says what was wrong. Its
    // hints about parser features are for programmers, not for the author of a playbook.
    String first = what == null ? "malformed" : what.lines().findFirst().orElse(what)
        .replaceFirst(": enable `.*$", "")
        .replaceFirst(" \\(not recognized as one since Feature.*$", "")
        .replace("end-of-inputNo", "end-of-input: no")
        .replaceFirst(", from `StreamReadConstraints[^`]*`\\)", ")");
    return new IllegalArgumentException("bad JSON at " + where + ": " + first);
  }
}

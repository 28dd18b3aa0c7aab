package dev.plumb.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
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
 * class only maps tokens to plain values and fixes the output form: compact, or two-space indent
 * with {@code "key": value} and empty containers as {@code {}} and {@code []}. Strings escape the
 * control characters (short forms where JSON has them) and, only in a string that holds a lone
 * surrogate, every surrogate; the reader refuses a lone surrogate escape in an object key.
 */
public final class Json {
  private Json() {}

  private static final int MAX_DEPTH = 512;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .build();

  /** Two spaces a level, one member or element per line, {@code "key": value}, empty as {} and []. */
  private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
          .withObjectEmptySeparator("")
          .withArrayEmptySeparator(""))
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(new DefaultIndenter("  ", "\n"));

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
    return write(value, false);
  }

  /** JSON indented by two spaces, one member or element per line. */
  public static String pretty(Object value) {
    return write(value, true);
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

  // ---- writing

  private static String write(Object value, boolean pretty) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      if (pretty) {
        g.setPrettyPrinter(PRETTY);
      }
      write(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      string(g, s);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Number n) {
      g.writeNumber(decimal(n));
    } else if (value instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (hasLoneSurrogate(key)) {
          g.setCharacterEscapes(SURROGATES);
        }
        g.writeFieldName(key);
        g.setCharacterEscapes(null);
        write(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof Iterable<?> list) {
      g.writeStartArray();
      for (Object e : list) {
        write(g, e);
      }
      g.writeEndArray();
    } else {
      throw new IllegalArgumentException(
          "cannot write a " + value.getClass().getName() + " as JSON: use Map, List, String, Number, Boolean or null");
    }
  }

  private static BigDecimal decimal(Number n) {
    if (n instanceof Double d && (d.isNaN() || d.isInfinite())
        || n instanceof Float f && (f.isNaN() || f.isInfinite())) {
      throw new IllegalArgumentException("JSON has no " + n + ": write it as a string or null");
    }
    // BigDecimal.toString may use an exponent ("1E+3"), which is valid JSON and parses back to the
    // same scale; plain toString of the boxed primitives is valid JSON too.
    return n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
  }

  private static void string(JsonGenerator g, String s) throws IOException {
    if (hasLoneSurrogate(s)) {
      // A lone surrogate cannot be encoded as UTF-8; the escape keeps the text valid JSON.
      g.setCharacterEscapes(SURROGATES);
      g.writeString(s);
      g.setCharacterEscapes(null);
    } else {
      g.writeString(s);
    }
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))
          || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
        return true;
      }
    }
    return false;
  }

  /** Jackson's standard escapes, plus every surrogate as \\uXXXX (used only for strings holding a lone one). */
  private static final CharacterEscapes SURROGATES = new CharacterEscapes() {
    private final int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return Character.isSurrogate((char) ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
  };
}

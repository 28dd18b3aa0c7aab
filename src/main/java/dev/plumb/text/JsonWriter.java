package dev.plumb.text;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The writing half of {@link Json} (its {@code write} and {@code pretty}): the output form is
 * compact, or two-space indent with {@code "key": value} and empty containers as {@code {}} and
 * {@code []}. Strings escape the control characters (short forms where JSON has them) and, only in
 * a string that holds a lone surrogate, every surrogate.
 */
final class JsonWriter {
  private JsonWriter() {}

  /** Two spaces a level, one member or element per line, {@code "key": value}, empty as {} and []. */
  private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
          .withObjectEmptySeparator("")
          .withArrayEmptySeparator(""))
      .withObjectIndenter(new DefaultIndenter("  ", "\n"))
      .withArrayIndenter(new DefaultIndenter("  ", "\n"));

  static String write(Object value, boolean pretty) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
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

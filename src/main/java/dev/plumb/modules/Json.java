package dev.plumb.modules;

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
 */
public final class Json {
  private Json() {}

  private static final int MAX_DEPTH = 512;

  /**
   * Parses one JSON text.
   *
   * @throws IllegalArgumentException naming the line, column and what was expected
   */
  public static Object parse(String text) {
    Reader r = new Reader(text);
    r.skipSpace();
    Object value = r.value(0);
    r.skipSpace();
    if (r.pos < text.length()) {
      throw r.error("end of input after the JSON value");
    }
    return value;
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
    StringBuilder out = new StringBuilder();
    write(out, value, null, 0);
    return out.toString();
  }

  /** JSON indented by two spaces, one member or element per line. */
  public static String pretty(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, "  ", 0);
    return out.toString();
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

  // ---- writing

  private static void write(StringBuilder out, Object value, String indent, int depth) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(out, s);
    } else if (value instanceof Boolean b) {
      out.append(b);
    } else if (value instanceof Number n) {
      number(out, n);
    } else if (value instanceof Map<?, ?> map) {
      object(out, map, indent, depth);
    } else if (value instanceof Iterable<?> list) {
      array(out, list, indent, depth);
    } else {
      throw new IllegalArgumentException(
          "cannot write a " + value.getClass().getName() + " as JSON: use Map, List, String, Number, Boolean or null");
    }
  }

  private static void object(StringBuilder out, Map<?, ?> map, String indent, int depth) {
    if (map.isEmpty()) {
      out.append("{}");
      return;
    }
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      newline(out, indent, depth + 1);
      string(out, String.valueOf(e.getKey()));
      out.append(indent == null ? ":" : ": ");
      write(out, e.getValue(), indent, depth + 1);
    }
    newline(out, indent, depth);
    out.append('}');
  }

  private static void array(StringBuilder out, Iterable<?> list, String indent, int depth) {
    Iterator<?> it = list.iterator();
    if (!it.hasNext()) {
      out.append("[]");
      return;
    }
    out.append('[');
    boolean first = true;
    while (it.hasNext()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      newline(out, indent, depth + 1);
      write(out, it.next(), indent, depth + 1);
    }
    newline(out, indent, depth);
    out.append(']');
  }

  private static void newline(StringBuilder out, String indent, int depth) {
    if (indent != null) {
      out.append('\n');
      out.append(indent.repeat(depth));
    }
  }

  private static void number(StringBuilder out, Number n) {
    if (n instanceof Double d && (d.isNaN() || d.isInfinite())
        || n instanceof Float f && (f.isNaN() || f.isInfinite())) {
      throw new IllegalArgumentException("JSON has no " + n + ": write it as a string or null");
    }
    // BigDecimal.toString may use an exponent ("1E+3"), which is valid JSON and parses back to the
    // same scale; plain toString of the boxed primitives is valid JSON too.
    out.append(n instanceof BigDecimal b ? b.toString() : new BigDecimal(n.toString()).toString());
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || isLoneSurrogate(s, i)) {
            // A lone surrogate cannot be encoded as UTF-8; the escape keeps the text valid JSON.
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }

  // ---- reading

  private static final class Reader {
    final String text;
    int pos;

    Reader(String text) {
      this.text = text;
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("at most " + MAX_DEPTH + " levels of nesting");
      }
      if (pos >= text.length()) {
        throw error("a JSON value");
      }
      char c = text.charAt(pos);
      return switch (c) {
        case '{' -> object(depth);
        case '[' -> array(depth);
        case '"' -> string();
        case 't' -> literal("true", Boolean.TRUE);
        case 'f' -> literal("false", Boolean.FALSE);
        case 'n' -> literal("null", null);
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            yield number();
          }
          throw error("a JSON value (object, array, string, number, true, false or null)");
        }
      };
    }

    Map<String, Object> object(int depth) {
      pos++;
      Map<String, Object> map = new LinkedHashMap<>();
      skipSpace();
      if (peek() == '}') {
        pos++;
        return map;
      }
      while (true) {
        skipSpace();
        if (peek() != '"') {
          throw error("a string as object key");
        }
        int keyAt = pos;
        String key = string();
        if (map.containsKey(key)) {
          pos = keyAt;
          throw error("a key other than \"" + key + "\", which this object already has");
        }
        skipSpace();
        expect(':');
        skipSpace();
        map.put(key, value(depth + 1));
        skipSpace();
        if (peek() == ',') {
          pos++;
          continue;
        }
        expect('}');
        return map;
      }
    }

    List<Object> array(int depth) {
      pos++;
      List<Object> list = new ArrayList<>();
      skipSpace();
      if (peek() == ']') {
        pos++;
        return list;
      }
      while (true) {
        skipSpace();
        list.add(value(depth + 1));
        skipSpace();
        if (peek() == ',') {
          pos++;
          continue;
        }
        expect(']');
        return list;
      }
    }

    String string() {
      pos++;
      StringBuilder s = new StringBuilder();
      while (true) {
        if (pos >= text.length()) {
          throw error("a closing quote");
        }
        char c = text.charAt(pos);
        if (c == '"') {
          pos++;
          return s.toString();
        }
        if (c < 0x20) {
          throw error("no control character inside a string (escape it, e.g. \\n)");
        }
        if (c == '\\') {
          pos++;
          s.append(escape());
        } else {
          s.append(c);
          pos++;
        }
      }
    }

    char escape() {
      char e = peek();
      pos++;
      switch (e) {
        case '"': return '"';
        case '\\': return '\\';
        case '/': return '/';
        case 'b': return '\b';
        case 'f': return '\f';
        case 'n': return '\n';
        case 'r': return '\r';
        case 't': return '\t';
        case 'u':
          if (pos + 4 > text.length()) {
            throw error("four hex digits after \\u");
          }
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos), 16);
            if (d < 0) {
              throw error("four hex digits after \\u");
            }
            code = code * 16 + d;
            pos++;
          }
          return (char) code;
        default:
          pos--;
          throw error("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)");
      }
    }

    BigDecimal number() {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      if (peek() == '0') {
        pos++;
        if (Character.isDigit(peek())) {
          throw error("no leading zero in a number");
        }
      } else {
        digits();
      }
      if (peek() == '.') {
        pos++;
        digits();
      }
      if (peek() == 'e' || peek() == 'E') {
        pos++;
        if (peek() == '+' || peek() == '-') {
          pos++;
        }
        digits();
      }
      try {
        return new BigDecimal(text.substring(start, pos));
      } catch (NumberFormatException e) {
        pos = start;
        throw error("a number within range");
      }
    }

    void digits() {
      if (!isDigit(peek())) {
        throw error("a digit");
      }
      while (isDigit(peek())) {
        pos++;
      }
    }

    static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }

    Object literal(String word, Object value) {
      if (!text.startsWith(word, pos)) {
        throw error("a JSON value (object, array, string, number, true, false or null)");
      }
      pos += word.length();
      return value;
    }

    void expect(char c) {
      if (peek() != c) {
        throw error("'" + c + "'");
      }
      pos++;
    }

    /** The next character, or NUL at the end (NUL is never valid where it is looked at). */
    char peek() {
      return pos < text.length() ? text.charAt(pos) : '\0';
    }

    void skipSpace() {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    IllegalArgumentException error(String expected) {
      int line = 1;
      int column = 1;
      for (int i = 0; i < pos && i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          line++;
          column = 1;
        } else {
          column++;
        }
      }
      String found = pos >= text.length() ? "end of input" : describe(text.charAt(pos));
      return new IllegalArgumentException(
          "bad JSON at line " + line + ", column " + column + ": expected " + expected + ", found " + found);
    }

    static String describe(char c) {
      return c < 0x20 || c == 0x7f ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }
  }
}

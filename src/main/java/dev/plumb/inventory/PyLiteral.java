package dev.plumb.inventory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The subset of Python's {@code ast.literal_eval} that Ansible's INI inventory applies to every
 * value (host-line and {@code :vars} alike): numbers, strings, True/False/None, lists, tuples and
 * dicts. Text that is not a literal stays text, exactly as Ansible keeps it.
 *
 * <p>Results are plain Java values: String, Long or BigInteger, Double, Boolean, null, List, Map.
 * Complex numbers and sets, which Ansible cannot print as JSON either, are left as text.
 *
 * <p>Over 250 lines because it is one recursive-descent parser of one grammar: every method moves
 * the same cursor, and Python's number and string forms (prefixes, underscores, escapes) are most
 * of it.
 */
final class PyLiteral {
  private final String s;
  private int i;

  private PyLiteral(String s) {
    this.s = s;
  }

  /** The value Ansible's INI plugin makes of {@code text}. */
  static Object iniValue(String text) {
    Optional<Box> literal = eval(text);
    return literal.isPresent() ? literal.get().value() : text;
  }

  /** A box so that a literal None (null) is distinguishable from "not a literal". */
  private record Box(Object value) {}

  static Optional<Box> eval(String text) {
    // literal_eval strips leading spaces and tabs only (3.10+); trailing ones are harmless.
    PyLiteral p = new PyLiteral(text.replaceFirst("^[ \t]+", ""));
    try {
      p.skipSpace();
      Object v = p.value();
      p.skipSpace();
      if (p.i != p.s.length()) {
        return Optional.empty();
      }
      return Optional.of(new Box(v));
    } catch (NotLiteral e) {
      return Optional.empty();
    }
  }

  private static final class NotLiteral extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotLiteral() {
      super(null, null, false, false);
    }
  }

  private void skipSpace() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\f') {
        i++;
      } else if (c == '#') {
        i = s.length();
      } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
        i += 2;
      } else {
        return;
      }
    }
  }

  /** Inside brackets Python also ignores newlines. */
  private void skipSpaceInBrackets() {
    while (true) {
      skipSpace();
      if (i < s.length() && (s.charAt(i) == '\n' || s.charAt(i) == '\r')) {
        i++;
      } else {
        return;
      }
    }
  }

  private Object value() {
    if (i >= s.length()) {
      throw new NotLiteral();
    }
    char c = s.charAt(i);
    switch (c) {
      case '[' -> {
        i++;
        return sequence(']');
      }
      case '(' -> {
        i++;
        return tuple();
      }
      case '{' -> {
        i++;
        return dict();
      }
      case '-', '+' -> {
        i++;
        skipSpace();
        Object n = number();
        return c == '-' ? negate(n) : n;
      }
      default -> {
        if (Character.isDigit(c) || c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
          return number();
        }
        if (isStringStart()) {
          return strings();
        }
        String name = name();
        return switch (name) {
          case "True" -> Boolean.TRUE;
          case "False" -> Boolean.FALSE;
          case "None" -> null;
          default -> throw new NotLiteral();
        };
      }
    }
  }

  private static Object negate(Object n) {
    if (n instanceof Long l) {
      return l == Long.MIN_VALUE ? BigInteger.valueOf(l).negate() : -l;
    }
    if (n instanceof BigInteger b) {
      return narrow(b.negate());
    }
    return -(Double) n;
  }

  private String name() {
    int start = i;
    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
      i++;
    }
    return s.substring(start, i);
  }

  private List<Object> sequence(char close) {
    List<Object> out = new ArrayList<>();
    skipSpaceInBrackets();
    while (true) {
      if (i < s.length() && s.charAt(i) == close) {
        i++;
        return out;
      }
      out.add(value());
      skipSpaceInBrackets();
      if (i < s.length() && s.charAt(i) == ',') {
        i++;
        skipSpaceInBrackets();
      } else if (i >= s.length() || s.charAt(i) != close) {
        throw new NotLiteral();
      }
    }
  }

  /** {@code (x)} is x; {@code (x,)} and {@code ()} are tuples (lists in JSON). */
  private Object tuple() {
    skipSpaceInBrackets();
    if (i < s.length() && s.charAt(i) == ')') {
      i++;
      return List.of();
    }
    Object first = value();
    skipSpaceInBrackets();
    if (i < s.length() && s.charAt(i) == ')') {
      i++;
      return first;
    }
    if (i >= s.length() || s.charAt(i) != ',') {
      throw new NotLiteral();
    }
    i++;
    List<Object> rest = sequence(')');
    List<Object> out = new ArrayList<>();
    out.add(first);
    out.addAll(rest);
    return out;
  }

  private Map<String, Object> dict() {
    Map<String, Object> out = new LinkedHashMap<>();
    skipSpaceInBrackets();
    while (true) {
      if (i < s.length() && s.charAt(i) == '}') {
        i++;
        return out;
      }
      Object key = value();
      skipSpaceInBrackets();
      if (i >= s.length() || s.charAt(i) != ':') {
        throw new NotLiteral(); // a set, or not a literal
      }
      i++;
      skipSpaceInBrackets();
      Object v = value();
      if (key instanceof List || key instanceof Map) {
        throw new NotLiteral(); // unhashable
      }
      out.put(PyJson.keyText(key), v);
      skipSpaceInBrackets();
      if (i < s.length() && s.charAt(i) == ',') {
        i++;
        skipSpaceInBrackets();
      } else if (i >= s.length() || s.charAt(i) != '}') {
        throw new NotLiteral();
      }
    }
  }

  private Object number() {
    int start = i;
    if (s.startsWith("0x", i) || s.startsWith("0X", i) || s.startsWith("0o", i) || s.startsWith("0O", i)
        || s.startsWith("0b", i) || s.startsWith("0B", i)) {
      char base = Character.toLowerCase(s.charAt(i + 1));
      i += 2;
      int radix = base == 'x' ? 16 : base == 'o' ? 8 : 2;
      String digits = digits(radix, true);
      if (digits.isEmpty()) {
        throw new NotLiteral();
      }
      endOfNumber();
      return narrow(new BigInteger(digits, radix));
    }
    String intPart = digits(10, false);
    boolean isFloat = false;
    StringBuilder f = new StringBuilder(intPart);
    if (i < s.length() && s.charAt(i) == '.') {
      isFloat = true;
      i++;
      f.append('.');
      if (i < s.length() && Character.isDigit(s.charAt(i))) {
        f.append(digits(10, false));
      }
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      int save = i;
      i++;
      StringBuilder exp = new StringBuilder("e");
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        exp.append(s.charAt(i++));
      }
      if (i < s.length() && Character.isDigit(s.charAt(i))) {
        exp.append(digits(10, false));
        f.append(exp);
        isFloat = true;
      } else {
        i = save;
        throw new NotLiteral();
      }
    }
    if (i < s.length() && (s.charAt(i) == 'j' || s.charAt(i) == 'J')) {
      throw new NotLiteral(); // complex: not printable as JSON
    }
    endOfNumber();
    if (isFloat) {
      String t = f.toString();
      return Double.parseDouble(t.startsWith(".") ? "0" + t : t);
    }
    if (intPart.length() > 1 && intPart.startsWith("0") && !intPart.chars().allMatch(ch -> ch == '0')) {
      throw new NotLiteral(); // leading zeros in a decimal integer are a syntax error in Python 3
    }
    if (start == i) {
      throw new NotLiteral();
    }
    return narrow(new BigInteger(intPart));
  }

  /** A number must not run into letters ({@code 1abc} is a syntax error). */
  private void endOfNumber() {
    if (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) {
      throw new NotLiteral();
    }
  }

  /** Digits with single underscores between them, as Python allows (and one right after 0x). */
  private String digits(int radix, boolean afterPrefix) {
    StringBuilder out = new StringBuilder();
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '_' && (out.length() > 0 || afterPrefix) && i + 1 < s.length() && isDigit(s.charAt(i + 1), radix)) {
        i++;
        continue;
      }
      if (!isDigit(c, radix)) {
        break;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static boolean isDigit(char c, int radix) {
    return c < 0x80 && Character.digit(c, radix) >= 0;
  }

  static Object narrow(BigInteger b) {
    return b.bitLength() < 64 ? (Object) b.longValue() : b;
  }

  private boolean isStringStart() {
    int j = i;
    while (j < s.length() && j - i < 2 && "rRbBuU".indexOf(s.charAt(j)) >= 0) {
      j++;
    }
    return j < s.length() && (s.charAt(j) == '"' || s.charAt(j) == '\'');
  }

  /** Adjacent string literals concatenate, as in Python. */
  private String strings() {
    StringBuilder out = new StringBuilder();
    do {
      out.append(string());
      skipSpace();
    } while (i < s.length() && isStringStart());
    return out.toString();
  }

  private String string() {
    boolean raw = false;
    while ("rRbBuU".indexOf(s.charAt(i)) >= 0) {
      raw |= Character.toLowerCase(s.charAt(i)) == 'r';
      i++;
    }
    char q = s.charAt(i);
    boolean triple = s.startsWith(String.valueOf(q).repeat(3), i);
    i += triple ? 3 : 1;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (i >= s.length()) {
        throw new NotLiteral();
      }
      char c = s.charAt(i);
      if (triple ? s.startsWith(String.valueOf(q).repeat(3), i) : c == q) {
        i += triple ? 3 : 1;
        return out.toString();
      }
      if (!triple && c == '\n') {
        throw new NotLiteral();
      }
      if (c == '\\' && i + 1 < s.length()) {
        if (raw) {
          out.append(c).append(s.charAt(i + 1));
          i += 2;
          continue;
        }
        i++;
        escape(out);
        continue;
      }
      out.append(c);
      i++;
    }
  }

  private void escape(StringBuilder out) {
    char e = s.charAt(i++);
    switch (e) {
      case '\n' -> { }
      case '\\' -> out.append('\\');
      case '\'' -> out.append('\'');
      case '"' -> out.append('"');
      case 'a' -> out.append('\u0007');
      case 'b' -> out.append('\b');
      case 'f' -> out.append('\f');
      case 'n' -> out.append('\n');
      case 'r' -> out.append('\r');
      case 't' -> out.append('\t');
      case 'v' -> out.append('\u000b');
      case 'x' -> out.appendCodePoint(hex(2));
      case 'u' -> out.appendCodePoint(hex(4));
      case 'U' -> out.appendCodePoint(hex(8));
      default -> {
        if (e >= '0' && e <= '7') {
          int v = e - '0';
          for (int k = 0; k < 2 && i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7'; k++) {
            v = v * 8 + s.charAt(i++) - '0';
          }
          out.appendCodePoint(v);
        } else {
          out.append('\\').append(e); // unknown escapes are kept, backslash and all
        }
      }
    }
  }

  private int hex(int n) {
    if (i + n > s.length()) {
      throw new NotLiteral();
    }
    try {
      int v = Integer.parseUnsignedInt(s.substring(i, i + n), 16);
      i += n;
      if (v > 0x10FFFF) {
        throw new NotLiteral();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new NotLiteral();
    }
  }
}

package dev.plumb.inventory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plain values written as Python's {@code json.dumps(v, indent=4, sort_keys=True,
 * ensure_ascii=False)} writes them, which is what {@code ansible-inventory} prints: same
 * indentation, same key order, same number forms ({@code 1e+16}, {@code 0.5}), same escapes.
 */
final class PyJson {
  private PyJson() {}

  static String dumps(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, 0);
    return out.toString();
  }

  private static void write(Object v, StringBuilder out, int depth) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      string(s, out);
    } else if (v instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (v instanceof Long || v instanceof Integer || v instanceof BigInteger) {
      out.append(v);
    } else if (v instanceof Double d) {
      out.append(floatRepr(d));
    } else if (v instanceof YamlTypes.Vaulted vault) {
      write(Map.of("__ansible_vault", vault.ciphertext()), out, depth);
    } else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        out.append("{}");
        return;
      }
      List<String> keys = new ArrayList<>();
      m.keySet().forEach(k -> keys.add(String.valueOf(k)));
      keys.sort(PyJson::compareCodePoints);
      out.append("{\n");
      for (int k = 0; k < keys.size(); k++) {
        indent(out, depth + 1);
        string(keys.get(k), out);
        out.append(": ");
        write(m.get(keys.get(k)), out, depth + 1);
        out.append(k + 1 < keys.size() ? ",\n" : "\n");
      }
      indent(out, depth);
      out.append('}');
    } else if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append("[\n");
      for (int k = 0; k < l.size(); k++) {
        indent(out, depth + 1);
        write(l.get(k), out, depth + 1);
        out.append(k + 1 < l.size() ? ",\n" : "\n");
      }
      indent(out, depth);
      out.append(']');
    } else {
      string(String.valueOf(v), out);
    }
  }

  /** Python sorts str keys by code point; Java's compareTo by UTF-16 unit differs above U+FFFF. */
  static int compareCodePoints(String a, String b) {
    return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
  }

  private static void indent(StringBuilder out, int depth) {
    out.append(" ".repeat(4 * depth));
  }

  static void string(String s, StringBuilder out) {
    out.append('"');
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Python's {@code repr(float)}: shortest digits; exponent form below 1e-4 and from 1e16. */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return 1 / d < 0 ? "-0.0" : "0.0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int exp = digits.length() - 1 - bd.scale();
    String sign = d < 0 ? "-" : "";
    if (exp >= -4 && exp < 16) {
      String plain = bd.toPlainString();
      return sign + (plain.contains(".") ? plain : plain + ".0");
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
  }

  /** The key json.dumps writes for a non-string dict key. */
  static String keyText(Object key) {
    if (key == null) {
      return "null";
    }
    if (key instanceof Boolean b) {
      return b ? "true" : "false";
    }
    if (key instanceof Double d) {
      return floatRepr(d);
    }
    return String.valueOf(key);
  }
}

package dev.plumb.modules;

/** Placeholder until the generic-modules branch lands (replaced at merge). */
public final class Json {
  private Json() {}

  public static String pretty(Object value) {
    StringBuilder sb = new StringBuilder();
    write(value, sb, 0);
    return sb.toString();
  }

  private static void write(Object v, StringBuilder sb, int indent) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      sb.append('"');
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\t' -> sb.append("\\t");
          case '\r' -> sb.append("\\r");
          default -> {
            if (c < 0x20) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
        }
      }
      sb.append('"');
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof java.util.Map<?, ?> m) {
      sb.append(m.isEmpty() ? "{" : "{\n");
      int i = 0;
      for (var e : m.entrySet()) {
        sb.append("  ".repeat(indent + 1));
        write(String.valueOf(e.getKey()), sb, indent + 1);
        sb.append(": ");
        write(e.getValue(), sb, indent + 1);
        sb.append(++i < m.size() ? ",\n" : "\n");
      }
      sb.append(m.isEmpty() ? "}" : "  ".repeat(indent) + "}");
    } else if (v instanceof java.util.List<?> l) {
      sb.append(l.isEmpty() ? "[" : "[\n");
      for (int i = 0; i < l.size(); i++) {
        sb.append("  ".repeat(indent + 1));
        write(l.get(i), sb, indent + 1);
        sb.append(i + 1 < l.size() ? ",\n" : "\n");
      }
      sb.append(l.isEmpty() ? "]" : "  ".repeat(indent) + "]");
    } else {
      write(String.valueOf(v), sb, indent);
    }
  }
}

package dev.plumb.inventory;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * YAML nodes typed as Ansible's loader (PyYAML, YAML 1.1 resolution) types them: {@code yes} and
 * {@code on} are booleans, {@code 0644} is octal 420, {@code 1:30} is 90, {@code 1e3} is a string.
 * Plumb itself keeps scalars as text; this typing is for showing the inventory as Ansible does.
 */
final class YamlTypes {
  private static final Pattern BOOL =
      Pattern.compile("yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
  private static final Pattern INT = Pattern.compile("[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)"
      + "|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
  private static final Pattern FLOAT = Pattern.compile("[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
      + "|\\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
      + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");

  private static final String RESOLVABLE_FIRST = "yYnNtTfFoO~+-.0123456789";

  /** A {@code !vault} value: printed by ansible-inventory as {@code {"__ansible_vault": ciphertext}}. */
  record Vaulted(String ciphertext) {}

  private YamlTypes() {}

  static Object typed(Node node) {
    if (node instanceof ScalarNode s) {
      return scalar(s);
    }
    if (node instanceof SequenceNode seq) {
      List<Object> out = new ArrayList<>();
      seq.getValue().forEach(n -> out.add(typed(n)));
      return out;
    }
    MappingNode map = (MappingNode) node;
    Map<String, Object> out = new LinkedHashMap<>();
    List<Map<String, Object>> merges = new ArrayList<>();
    for (NodeTuple t : map.getValue()) {
      Node k = t.getKeyNode();
      if (k instanceof ScalarNode ks && ks.getValue().equals("<<") && ks.getScalarStyle() == ScalarStyle.PLAIN) {
        Object merged = typed(t.getValueNode());
        if (merged instanceof Map<?, ?> m) {
          merges.add(cast(m));
        } else if (merged instanceof List<?> l) {
          l.stream().filter(Map.class::isInstance).forEach(m -> merges.add(cast((Map<?, ?>) m)));
        }
        continue;
      }
      out.put(PyJson.keyText(typed(k)), typed(t.getValueNode()));
    }
    if (merges.isEmpty()) {
      return out;
    }
    // Merge keys: explicit keys win, then earlier merged mappings over later ones (YAML 1.1).
    Map<String, Object> result = new LinkedHashMap<>();
    for (int i = merges.size() - 1; i >= 0; i--) {
      result.putAll(merges.get(i));
    }
    result.putAll(out);
    return result;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  static Object scalar(ScalarNode s) {
    String text = s.getValue();
    Tag tag = s.getTag();
    if (tag.getValue().equals("!vault") || tag.getValue().equals("!vault-encrypted")) {
      return new Vaulted(text);
    }
    if (tag.getValue().equals("!unsafe")) {
      return text;
    }
    boolean implicit = s.getScalarStyle() == ScalarStyle.PLAIN
        && (tag.equals(Tag.STR) || tag.equals(Tag.INT) || tag.equals(Tag.FLOAT) || tag.equals(Tag.BOOL) || tag.equals(Tag.NULL));
    if (implicit) {
      return resolve(text);
    }
    if (tag.equals(Tag.INT)) {
      return INT.matcher(text).matches() ? integer(text) : text;
    }
    if (tag.equals(Tag.FLOAT)) {
      return FLOAT.matcher(text).matches() ? floating(text) : text;
    }
    if (tag.equals(Tag.BOOL)) {
      return BOOL.matcher(text).matches() ? bool(text) : text;
    }
    if (tag.equals(Tag.NULL)) {
      return null;
    }
    return text;
  }

  /** PyYAML's implicit resolvers, in their order. */
  static Object resolve(String text) {
    // Every pattern below starts with one of these (or matches the empty text): most scalars (paths,
    // names) are text at the first character, without four regular expressions.
    if (!text.isEmpty() && RESOLVABLE_FIRST.indexOf(text.charAt(0)) < 0) {
      return text;
    }
    if (BOOL.matcher(text).matches()) {
      return bool(text);
    }
    if (FLOAT.matcher(text).matches()) {
      return floating(text);
    }
    if (INT.matcher(text).matches()) {
      return integer(text);
    }
    if (NULL.matcher(text).matches()) {
      return null;
    }
    return text;
  }

  private static Boolean bool(String text) {
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "yes", "true", "on" -> Boolean.TRUE;
      default -> Boolean.FALSE;
    };
  }

  private static Object integer(String raw) {
    String v = raw.replace("_", "");
    int sign = 1;
    if (v.startsWith("-")) {
      sign = -1;
      v = v.substring(1);
    } else if (v.startsWith("+")) {
      v = v.substring(1);
    }
    BigInteger n;
    if (v.equals("0")) {
      n = BigInteger.ZERO;
    } else if (v.startsWith("0b")) {
      n = new BigInteger(v.substring(2), 2);
    } else if (v.startsWith("0x")) {
      n = new BigInteger(v.substring(2), 16);
    } else if (v.startsWith("0")) {
      n = new BigInteger(v, 8);
    } else if (v.contains(":")) {
      n = BigInteger.ZERO;
      for (String part : v.split(":")) {
        n = n.multiply(BigInteger.valueOf(60)).add(new BigInteger(part));
      }
    } else {
      n = new BigInteger(v);
    }
    return PyLiteral.narrow(sign < 0 ? n.negate() : n);
  }

  private static Double floating(String raw) {
    String v = raw.replace("_", "").toLowerCase(java.util.Locale.ROOT);
    double sign = 1;
    if (v.startsWith("-")) {
      sign = -1;
      v = v.substring(1);
    } else if (v.startsWith("+")) {
      v = v.substring(1);
    }
    if (v.equals(".inf")) {
      return sign * Double.POSITIVE_INFINITY;
    }
    if (v.equals(".nan")) {
      return Double.NaN;
    }
    if (v.contains(":")) {
      double n = 0;
      for (String part : v.split(":")) {
        n = n * 60 + Double.parseDouble(part);
      }
      return sign * n;
    }
    return sign * Double.parseDouble(v.endsWith(".") ? v + "0" : v);
  }
}

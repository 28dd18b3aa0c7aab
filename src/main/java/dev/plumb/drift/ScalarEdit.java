package dev.plumb.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Replaces one scalar of a YAML text, found by where it starts, and nothing else: every other byte
 * of the file stays as it was. The new value keeps the old one's style when YAML allows it, else
 * is quoted; each candidate is parsed back and kept only if it reads as exactly the new text (a
 * plain {@code a #b} would lose its comment part, a plain {@code null} would be null). Pure.
 */
final class ScalarEdit {
  private ScalarEdit() {}

  /** A scalar as written: its value, style and where it starts and ends (char offsets in the text). */
  record Found(String value, ScalarStyle style, int line, int column, int start, int end) {}

  /** The scalar starting at 1-based {@code line}:{@code column}; empty when none starts there or the text does not parse. */
  static Optional<Found> find(String text, int line, int column) {
    Optional<Node> root;
    try {
      root = compose(text);
    } catch (YamlEngineException e) {
      return Optional.empty();
    }
    List<ScalarNode> scalars = new ArrayList<>();
    root.ifPresent(r -> collect(r, scalars, 0));
    for (ScalarNode s : scalars) {
      org.snakeyaml.engine.v2.exceptions.Mark start = s.getStartMark().orElse(null);
      org.snakeyaml.engine.v2.exceptions.Mark end = s.getEndMark().orElse(null);
      if (start != null && end != null && start.getLine() + 1 == line && start.getColumn() + 1 == column) {
        int from = text.offsetByCodePoints(0, start.getIndex());
        int to = text.offsetByCodePoints(0, end.getIndex());
        if (s.getScalarStyle() == ScalarStyle.LITERAL || s.getScalarStyle() == ScalarStyle.FOLDED) {
          // A block runs to the next token; it is replaced up to the end of its last written line,
          // so the newline and blank lines after it stay where they are.
          while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
            to--;
          }
        }
        return Optional.of(new Found(s.getValue(), s.getScalarStyle(), line, column, from, to));
      }
    }
    return Optional.empty();
  }

  /**
   * The text with {@code found} replaced by {@code value}; empty when no way of writing it reads back
   * as exactly {@code value} (then the operator edits by hand).
   */
  static Optional<String> replace(String text, Found found, String value) {
    for (String written : candidates(text, found, value)) {
      String edited = text.substring(0, found.start()) + written + text.substring(found.end());
      Optional<Found> back = find(edited, found.line(), found.column());
      if (back.isPresent() && back.get().value().equals(value) && !isNull(edited, found)) {
        return Optional.of(edited);
      }
    }
    return Optional.empty();
  }

  private static boolean isNull(String text, Found found) {
    List<ScalarNode> scalars = new ArrayList<>();
    compose(text).ifPresent(r -> collect(r, scalars, 0));
    return scalars.stream().anyMatch(s -> s.getStartMark().map(m -> m.getLine() + 1 == found.line()
        && m.getColumn() + 1 == found.column()).orElse(false) && Tag.NULL.equals(s.getTag()));
  }

  /** Ways to write {@code value}, the old style first. */
  private static List<String> candidates(String text, Found found, String value) {
    List<String> out = new ArrayList<>();
    boolean oneLine = value.indexOf('\n') < 0 && value.indexOf('\r') < 0;
    switch (found.style()) {
      case PLAIN -> {
        if (oneLine) {
          out.add(value);
        }
      }
      case LITERAL, FOLDED -> literal(text, found, value).ifPresent(out::add);
      case DOUBLE_QUOTED -> out.add(doubleQuoted(value));
      default -> { }
    }
    if (oneLine && value.chars().noneMatch(c -> c < 0x20 && c != '\t')) {
      out.add("'" + value.replace("'", "''") + "'");
    }
    out.add(doubleQuoted(value));
    return out;
  }

  /**
   * A literal block with the old block's indentation: {@code |}, {@code |-} or {@code |+} for one,
   * no or several final newlines. The range replaced ends where the old block's last line ends, so
   * blank lines after it and the next key keep their place.
   */
  private static Optional<String> literal(String text, Found found, String value) {
    if (value.isEmpty() || value.startsWith(" ") || value.startsWith("\n") || value.contains("\r")) {
      return Optional.empty();
    }
    int firstLine = text.indexOf('\n', found.start());
    if (firstLine < 0) {
      return Optional.empty();
    }
    int indent = 0;
    int i = firstLine + 1;
    while (i < text.length() && text.charAt(i) == '\n') {
      i++;
    }
    while (i + indent < text.length() && text.charAt(i + indent) == ' ') {
      indent++;
    }
    if (indent == 0) {
      return Optional.empty();
    }
    String body = value;
    String chomp = "+";
    if (!value.endsWith("\n")) {
      chomp = "-";
    } else if (!value.endsWith("\n\n")) {
      chomp = "";
      body = value.substring(0, value.length() - 1);
    } else {
      body = value.substring(0, value.length() - 1);
    }
    String pad = " ".repeat(indent);
    StringBuilder out = new StringBuilder("|").append(chomp);
    for (String l : body.split("\n", -1)) {
      out.append('\n').append(l.isEmpty() ? "" : pad + l);
    }
    return Optional.of(out.toString());
  }

  static String doubleQuoted(String value) {
    StringBuilder out = new StringBuilder("\"");
    value.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", c));
          } else {
            out.appendCodePoint(c);
          }
        }
      }
    });
    return out.append('"').toString();
  }

  private static Optional<Node> compose(String text) {
    LoadSettings settings = LoadSettings.builder()
        .setSchema(new org.snakeyaml.engine.v2.schema.CoreSchema())
        .setAllowDuplicateKeys(true)
        .setMaxAliasesForCollections(50)
        .build();
    return new Compose(settings).composeString(text);
  }

  private static void collect(Node node, List<ScalarNode> into, int depth) {
    if (depth > 200) {
      return;
    }
    if (node instanceof ScalarNode s) {
      into.add(s);
    } else if (node instanceof SequenceNode q) {
      q.getValue().forEach(n -> collect(n, into, depth + 1));
    } else if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        collect(t.getKeyNode(), into, depth + 1);
        collect(t.getValueNode(), into, depth + 1);
      }
    }
  }
}

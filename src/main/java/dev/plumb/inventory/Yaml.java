package dev.plumb.inventory;

import dev.plumb.source.Mark;
import dev.plumb.source.Problems;
import dev.plumb.source.Value;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads one YAML document into a {@link Value} tree where every value keeps its file:line:col.
 *
 * <p>Uses the Compose API (nodes, not Java objects) so marks survive; duplicate keys are allowed
 * by the parser and reported here with both marks, because snakeyaml's own message has only one.
 * Aliases are limited twice: the parser caps alias count, and the conversion caps the number of
 * values, since a few aliases nested in each other still expand exponentially.
 *
 * <p>Over 250 lines because reading YAML with marks is one job whose parts share its limits and
 * messages: the parse (with vault decryption), the syntax and limit errors with their fixes, and
 * the walk of the nodes that keeps each mark and counts the values.
 */
public final class Yaml {
  static final int MAX_CODE_POINTS = 3 * 1024 * 1024;
  static final int MAX_VALUES = 200_000;
  static final int MAX_ALIASES = 50;

  private Yaml() {}

  /**
   * A document as plumb reads it (text scalars with marks) and as Ansible types it (YAML 1.1:
   * {@code yes} is true, {@code 0644} is 420), for showing the inventory as Ansible shows it.
   */
  record Doc(Value value, Object typed) {}

  /** A file's single document; empty (with a problem recorded) when it cannot be read or parsed. */
  public static Optional<Value> read(Path file, Problems problems) {
    return readDoc(file, problems).map(Doc::value);
  }

  static Optional<Doc> readDoc(Path file, Problems problems) {
    String label = file.toString();
    String text;
    try {
      if (Files.size(file) > 4L * MAX_CODE_POINTS) {
        problems.error(new Mark(label, 1, 1), "file is too large for plumb (over "
            + MAX_CODE_POINTS / (1024 * 1024) + " MB)", "split it into smaller files");
        return Optional.empty();
      }
      if (!Files.isRegularFile(file)) {
        problems.error(Mark.nowhere(label), Files.isDirectory(file) ? "is a directory, not a YAML file"
            : "is not a regular file", "give the path of a YAML file");
        return Optional.empty();
      }
      byte[] bytes;
      try (var in = Files.newInputStream(file)) {
        // Bounded read: the size check above means nothing for a file that grows while read.
        bytes = in.readNBytes(4 * MAX_CODE_POINTS + 1);
      }
      if (bytes.length > 4 * MAX_CODE_POINTS) {
        problems.error(new Mark(label, 1, 1), "file is too large for plumb (over "
            + MAX_CODE_POINTS / (1024 * 1024) + " MB)", "split it into smaller files");
        return Optional.empty();
      }
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      problems.error(new Mark(label, 1, 1), "file is not valid UTF-8", "save it as UTF-8");
      return Optional.empty();
    } catch (java.nio.file.NoSuchFileException e) {
      problems.error(Mark.nowhere(label), "file not found", "check the path");
      return Optional.empty();
    } catch (IOException e) {
      problems.error(Mark.nowhere(label), "cannot read file: " + e, "check the path and its permissions");
      return Optional.empty();
    }
    if (Vault.isVault(text)) {
      return decryptedDoc(text, label, problems);
    }
    return parseDoc(text, label, problems);
  }

  /**
   * A whole file encrypted with ansible-vault: every value in it is sensitive, and is shown as
   * (sensitive) where ansible-inventory would print it.
   */
  private static Optional<Doc> decryptedDoc(String text, String label, Problems problems) {
    String plain;
    try {
      plain = Vault.decrypt(text);
    } catch (Vault.VaultException e) {
      problems.error(new Mark(label, 1, 1), e.getMessage().replaceFirst("^this (value|vault text)", "this file"), e.fix);
      return Optional.empty();
    }
    return parseDoc(plain, label + " (vault-decrypted)", problems)
        .map(d -> new Doc(Value.sensitive(d.value()), hidden(d.typed())));
  }

  private static Object hidden(Object typed) {
    if (typed instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), hidden(v)));
      return out;
    }
    if (typed instanceof List<?> l) {
      return l.stream().map(Yaml::hidden).toList();
    }
    return typed == null ? null : dev.plumb.text.Sensitive.SHOWN;
  }

  /** Text as one document; an empty document is {@link Value.Null}. */
  public static Optional<Value> parse(String text, String label, Problems problems) {
    return parseDoc(text, label, problems).map(Doc::value);
  }

  static Optional<Doc> parseDoc(String text, String label, Problems problems) {
    if (text.length() > MAX_CODE_POINTS && text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
      problems.error(new Mark(label, 1, 1), "YAML rejected: the document is longer than " + MAX_CODE_POINTS
          + " code points", "split the file into smaller files");
      return Optional.empty();
    }
    Optional<Mark> deep = Nesting.tooDeep(text, label);
    if (deep.isPresent()) {
      problems.error(deep.get(), "YAML nested deeper than " + Nesting.MAX_DEPTH + " levels",
          "flatten the document: no plumb input needs that many levels");
      return Optional.empty();
    }
    LoadSettings settings = LoadSettings.builder()
        .setLabel(label)
        // Core schema: ~, null and an empty value are null, as YAML users expect.
        .setSchema(new org.snakeyaml.engine.v2.schema.CoreSchema())
        .setAllowDuplicateKeys(true)
        .setAllowRecursiveKeys(false)
        .setMaxAliasesForCollections(MAX_ALIASES)
        .setCodePointLimit(MAX_CODE_POINTS)
        .build();
    Optional<Node> root;
    try {
      root = new Compose(settings).composeString(text);
    } catch (MarkedYamlEngineException e) {
      problems.add(syntaxError(label, e));
      return Optional.empty();
    } catch (YamlEngineException e) {
      problems.error(new Mark(label, 1, 1), "YAML rejected: " + e.getMessage(), limitFix(e.getMessage()));
      return Optional.empty();
    } catch (StackOverflowError e) {
      // The estimate above let something through: still an input error, never a crash.
      problems.error(new Mark(label, 1, 1), "YAML nested too deeply to read", "flatten the document");
      return Optional.empty();
    }
    if (root.isEmpty()) {
      return Optional.of(new Doc(new Value.Null(new Mark(label, 1, 1)), null));
    }
    Converter converter = new Converter(label, problems);
    try {
      Value value = converter.convert(root.get());
      // Typing walks the nodes again; skip it when the walk above refused a recursive alias.
      return Optional.of(new Doc(value, converter.refused ? null : YamlTypes.typed(root.get())));
    } catch (TooLarge e) {
      problems.error(e.mark, e.text ? "this document expands to more than " + MAX_CODE_POINTS
          + " characters of text through aliases (*name)" : "this document expands to more than " + MAX_VALUES
          + " values through aliases (*name)", "remove the nested aliases; write the values out");
      return Optional.empty();
    } catch (StackOverflowError e) {
      problems.error(new Mark(label, 1, 1), "YAML nested too deeply to read", "flatten the document");
      return Optional.empty();
    }
  }

  private static dev.plumb.source.Problem syntaxError(String label, MarkedYamlEngineException e) {
    var where = e.getProblemMark().or(e::getContextMark);
    Mark mark = where.map(m -> Mark.of(label, m.getLine(), m.getColumn())).orElse(new Mark(label, 1, 1));
    String problem = e.getProblem() == null ? "" : e.getProblem().strip();
    String context = e.getContext() == null ? "" : " (" + e.getContext().strip() + ")";
    return dev.plumb.source.Problem.error(mark, "YAML syntax error: " + problem + context, syntaxFix(problem));
  }

  private static String syntaxFix(String problem) {
    if (problem.contains("mapping values are not allowed")) {
      return "quote the value when it contains ': ', or fix the indentation of this key";
    }
    if (problem.contains("found character '\\t'") || problem.contains("tab")) {
      return "indent with spaces, not tabs";
    }
    if (problem.contains("expected ',' or ']'") || problem.contains("expected ',' or '}'")) {
      // The usual cause: an id such as file[/etc/x] inside [ … ], where brackets end the item.
      return "inside [ … ] or { … }, quote items that contain [ ] { } or , e.g. requires: ['file[/etc/x]'],"
          + " or write one '- item' per line";
    }
    if (problem.contains("found undefined alias")) {
      return "define the anchor (&name) before using the alias (*name)";
    }
    if (problem.contains("found unexpected end of stream") || problem.contains("found unexpected end")) {
      return "close the quote or bracket opened before this point";
    }
    return "check the indentation and quoting at this point";
  }

  private static String limitFix(String message) {
    if (message != null && message.contains("aliases")) {
      return "use fewer aliases (*name): at most " + MAX_ALIASES + " per document";
    }
    if (message != null && message.contains("code points")) {
      return "split the file into smaller files";
    }
    return "simplify the document";
  }

  private static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Mark mark;
    final boolean text;

    TooLarge(Mark mark, boolean text) {
      super(null, null, false, false);
      this.mark = mark;
      this.text = text;
    }
  }

  /** Node to Value, counting values and refusing recursion. */
  private static final class Converter {
    private final String label;
    private final Problems problems;
    private final Set<Node> path = Collections.newSetFromMap(new IdentityHashMap<>());
    private int count;
    boolean refused;
    private long chars;

    Converter(String label, Problems problems) {
      this.label = label;
      this.problems = problems;
    }

    Mark mark(Node node) {
      return node.getStartMark().map(m -> Mark.of(label, m.getLine(), m.getColumn())).orElse(Mark.nowhere(label));
    }

    Value convert(Node node) {
      Mark mark = mark(node);
      if (++count > MAX_VALUES) {
        throw new TooLarge(mark, false);
      }
      if (node instanceof ScalarNode s) {
        // An anchored 1 MB scalar used thousands of times is small as a document, huge as values.
        chars += s.getValue().length();
        if (chars > 2L * MAX_CODE_POINTS) {
          throw new TooLarge(mark, true);
        }
        if (s.getTag().getValue().equals("!vault") || s.getTag().getValue().equals("!vault-encrypted")) {
          return vaulted(s.getValue(), mark);
        }
        return Tag.NULL.equals(s.getTag()) ? new Value.Null(mark) : new Value.Scalar(s.getValue(), mark);
      }
      if (!path.add(node)) {
        problems.error(mark, "an alias refers to the collection that contains it", "remove the recursive alias");
        refused = true;
        return new Value.Null(mark);
      }
      try {
        if (node instanceof SequenceNode seq) {
          List<Value> items = new ArrayList<>();
          for (Node item : seq.getValue()) {
            items.add(convert(item));
          }
          return new Value.Seq(items, mark);
        }
        return mapping((MappingNode) node, mark);
      } finally {
        path.remove(node);
      }
    }

    /** A {@code !vault} value: its plaintext, sensitive; never the ciphertext in its place. */
    private Value vaulted(String ciphertext, Mark mark) {
      try {
        return new Value.Scalar(Vault.decrypt(ciphertext), mark, true);
      } catch (Vault.VaultException e) {
        problems.error(mark, e.getMessage(), e.fix);
        return new Value.Null(mark);
      }
    }

    private Value mapping(MappingNode node, Mark mark) {
      Map<String, Value> entries = new LinkedHashMap<>();
      Map<String, Mark> keyMarks = new LinkedHashMap<>();
      for (NodeTuple tuple : node.getValue()) {
        Node keyNode = tuple.getKeyNode();
        Mark keyMark = mark(keyNode);
        if (!(keyNode instanceof ScalarNode k) || Tag.NULL.equals(keyNode.getTag())) {
          String what = keyNode instanceof ScalarNode ? "empty (null)" : keyNode instanceof SequenceNode ? "a list" : "a mapping";
          problems.error(keyMark, "a key must be a string, this key is " + what,
              "write a plain word as the key, or quote it");
          continue;
        }
        String key = k.getValue();
        Mark first = keyMarks.get(key);
        if (first != null) {
          problems.error(keyMark, "duplicate key '" + key + "' (first at " + first + ")",
              "remove one of the two; YAML would silently keep only one of them");
          continue;
        }
        keyMarks.put(key, keyMark);
        entries.put(key, convert(tuple.getValueNode()));
      }
      return new Value.Map(entries, keyMarks, mark);
    }
  }
}

package dev.plumb.inventory;

import dev.plumb.source.Mark;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Where a YAML text nests deeper than {@link #MAX_DEPTH}, found before parsing: the parser
 * recurses once per level and a 1 KB file of brackets overflowed its stack. An estimate that errs
 * on the deep side: block levels (indentation steps and "- " markers) plus flow levels ([ and {
 * outside quotes and comments); block scalars (| and >) are skipped.
 */
final class Nesting {
  private Nesting() {}

  /** Documented in docs/variables.md (inputs and their limits). */
  static final int MAX_DEPTH = 100;

  static Optional<Mark> tooDeep(String text, String label) {
    Deque<Integer> indents = new ArrayDeque<>();
    int flow = 0;
    char quote = 0;
    int blockScalarIndent = -1;
    String[] lines = text.split("\n", -1);
    for (int ln = 0; ln < lines.length; ln++) {
      String line = lines[ln];
      int indent = 0;
      while (indent < line.length() && line.charAt(indent) == ' ') {
        indent++;
      }
      boolean blank = indent == line.length() || line.charAt(indent) == '#' || line.charAt(indent) == '\r';
      if (blockScalarIndent >= 0) {
        if (blank || indent > blockScalarIndent) {
          continue;
        }
        blockScalarIndent = -1;
      }
      if (blank && quote == 0) {
        continue;
      }
      int i = indent;
      int block = 0;
      if (quote == 0 && flow == 0) {
        while (!indents.isEmpty() && indents.peek() >= indent) {
          indents.pop();
        }
        indents.push(indent);
        // "- - - x": each marker opens a level on the same line.
        while (i + 1 < line.length() && (line.charAt(i) == '-' || line.charAt(i) == '?')
            && (line.charAt(i + 1) == ' ' || line.charAt(i + 1) == '\t')) {
          block++;
          i += 2;
          while (i < line.length() && line.charAt(i) == ' ') {
            i++;
          }
        }
      }
      int base = indents.size() + block;
      if (base + flow > MAX_DEPTH) {
        return Optional.of(new Mark(label, ln + 1, i + 1));
      }
      boolean valueStart = true;
      char last = ' ';
      for (; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quote != 0) {
          if (c == '\\' && quote == '"') {
            i++;
          } else if (c == quote) {
            quote = 0;
          }
          last = c;
          continue;
        }
        if (c == '#' && (last == ' ' || last == '\t')) {
          break;
        }
        if ((c == '"' || c == '\'') && (valueStart || flow > 0)) {
          quote = c;
        } else if ((c == '[' || c == '{') && (valueStart || flow > 0)) {
          flow++;
          if (base + flow > MAX_DEPTH) {
            return Optional.of(new Mark(label, ln + 1, i + 1));
          }
        } else if ((c == ']' || c == '}') && flow > 0) {
          flow--;
        }
        // A value starts after "key: " or "- " in block context; anything else is inside a plain scalar.
        if (c != ' ' && c != '\t') {
          valueStart = flow > 0 && (c == '[' || c == '{' || c == ',')
              || c == ':' && i + 1 < line.length() && (line.charAt(i + 1) == ' ' || line.charAt(i + 1) == '\t')
              || c == ':' && i + 1 == line.length();
        }
        last = c;
      }
      if (quote == 0 && flow == 0 && isBlockScalarStart(line)) {
        blockScalarIndent = indent;
      }
    }
    return Optional.empty();
  }

  // "key: |", "- >-", "key: |2 # comment"
  private static boolean isBlockScalarStart(String line) {
    if (line.indexOf('|') < 0 && line.indexOf('>') < 0) {
      return false; // the usual line, without two regular expressions
    }
    String t = COMMENT.matcher(line).replaceAll("").stripTrailing();
    return BLOCK_SCALAR_START.matcher(t).matches();
  }

  private static final java.util.regex.Pattern COMMENT = java.util.regex.Pattern.compile("\\s+#.*$");
  private static final java.util.regex.Pattern BLOCK_SCALAR_START =
      java.util.regex.Pattern.compile(".*(^|[:\\-]\\s)[|>][0-9+\\-]*");
}

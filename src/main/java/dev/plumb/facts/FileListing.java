package dev.plumb.facts;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text a {@link Fact.Files} fact reads as: its files, path to content, in one unambiguous form.
 * A file starts with {@code F <path>} (backslash and newline in the path escaped as {@code \\} and
 * {@code \n}); each content line follows prefixed by {@code |}; a {@code ~} line says the content
 * did not end with a newline. No content can be read as a header, whatever it holds, and the form
 * survives redaction of values inside lines. Pure.
 */
public final class FileListing {
  private FileListing() {}

  /** The listing text of {@code files}, in path order (what the shell's glob gives under LC_ALL=C). */
  public static String render(Map<String, String> files) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(files).entrySet()) {
      out.append("F ").append(e.getKey().replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
      String content = e.getValue();
      int from = 0;
      while (from < content.length()) {
        int nl = content.indexOf('\n', from);
        if (nl < 0) {
          out.append('|').append(content, from, content.length()).append("\n~\n");
          break;
        }
        out.append('|').append(content, from, nl + 1);
        from = nl + 1;
      }
    }
    return out.toString();
  }

  /**
   * The files of a listing text, path to content, in order.
   *
   * @throws IllegalArgumentException when the text is not a listing
   */
  public static Map<String, String> parse(String text) {
    Map<String, String> files = new LinkedHashMap<>();
    String path = null;
    StringBuilder body = new StringBuilder();
    int from = 0;
    while (from < text.length()) {
      int nl = text.indexOf('\n', from);
      if (nl < 0) {
        throw new IllegalArgumentException("a file listing ends inside a line");
      }
      String line = text.substring(from, nl);
      from = nl + 1;
      if (line.startsWith("F ")) {
        if (path != null) {
          files.put(path, body.toString());
        }
        path = unescape(line.substring(2));
        body.setLength(0);
      } else if (path != null && line.startsWith("|")) {
        body.append(line, 1, line.length()).append('\n');
      } else if (path != null && line.equals("~") && body.length() > 0) {
        body.setLength(body.length() - 1);
      } else {
        throw new IllegalArgumentException("not a file listing line: " + line);
      }
    }
    if (path != null) {
      files.put(path, body.toString());
    }
    return files;
  }

  static byte[] renderBytes(Map<String, String> files) {
    return render(files).getBytes(StandardCharsets.UTF_8);
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        out.append(n == 'n' ? '\n' : n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}

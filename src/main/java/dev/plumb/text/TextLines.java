package dev.plumb.text;

import java.util.ArrayList;
import java.util.List;

/** Splits text into lines that keep their terminators, so joining them gives the text back. */
public final class TextLines {
  private TextLines() {}

  /** Lines, each with its newline; the last one has none when the text does not end with one. */
  public static List<String> split(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  /** A line without its newline (a carriage return before it stays). */
  public static String strip(String line) {
    return line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
  }

  /**
   * Lines as {text, terminator}; the terminator is "\n", "\r\n" or "" (last line without newline).
   * A carriage return is part of the terminator only before a newline.
   */
  public static List<String[]> withEnds(String text) {
    List<String[]> out = new ArrayList<>();
    for (String line : split(text)) {
      int end = line.endsWith("\r\n") ? 2 : line.endsWith("\n") ? 1 : 0;
      out.add(new String[] {line.substring(0, line.length() - end), line.substring(line.length() - end)});
    }
    return out;
  }
}

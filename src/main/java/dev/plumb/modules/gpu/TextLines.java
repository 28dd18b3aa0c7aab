package dev.plumb.modules.gpu;

import java.util.ArrayList;
import java.util.List;

/** Splits text into lines that keep their terminators, so joining them gives the text back. */
final class TextLines {
  private TextLines() {}

  static List<String> split(String text) {
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

  /** A line without its terminator. */
  static String strip(String line) {
    return line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
  }
}

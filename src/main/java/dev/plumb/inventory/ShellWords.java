package dev.plumb.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code shlex.split(line, comments=True)} (POSIX mode), which Ansible's INI plugin uses
 * on host lines: quotes are removed, a backslash escapes outside single quotes, and {@code #}
 * starts a comment even inside a word ({@code a=b#c} is {@code a=b}).
 */
final class ShellWords {
  /** One word and the 1-based column where it starts. */
  record Word(String text, int column) {}

  private ShellWords() {}

  /** The words; throws IllegalArgumentException for an unclosed quote or a trailing backslash. */
  static List<Word> split(String line) {
    List<Word> out = new ArrayList<>();
    StringBuilder token = new StringBuilder();
    char state = ' ';
    char escaped = 0;
    boolean quoted = false;
    int start = -1;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (state == ' ') {
        if (isSpace(c)) {
          continue;
        }
        if (c == '#') {
          break;
        }
        start = i;
        if (c == '\\') {
          escaped = 'a';
          state = '\\';
        } else if (c == '\'' || c == '"') {
          quoted = true;
          state = c;
        } else {
          token.append(c);
          state = 'a';
        }
      } else if (state == '\'' || state == '"') {
        if (c == state) {
          state = 'a';
        } else if (c == '\\' && state == '"') {
          escaped = state;
          state = '\\';
        } else {
          token.append(c);
        }
      } else if (state == '\\') {
        // Inside double quotes a backslash escapes only " and \; elsewhere it stays.
        if ((escaped == '"' || escaped == '\'') && c != escaped && c != '\\') {
          token.append('\\');
        }
        token.append(c);
        state = escaped;
      } else { // 'a': inside a word
        if (isSpace(c) || c == '#') {
          out.add(new Word(token.toString(), start + 1));
          token.setLength(0);
          quoted = false;
          state = ' ';
          if (c == '#') {
            return out;
          }
        } else if (c == '\'' || c == '"') {
          quoted = true;
          state = c;
        } else if (c == '\\') {
          escaped = 'a';
          state = '\\';
        } else {
          token.append(c);
        }
      }
    }
    if (state == '\'' || state == '"') {
      throw new IllegalArgumentException("no closing quotation");
    }
    if (state == '\\') {
      throw new IllegalArgumentException("no escaped character");
    }
    if (state == 'a' && (token.length() > 0 || quoted)) {
      out.add(new Word(token.toString(), start + 1));
    }
    return out;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }
}

package dev.plumb.modules;

import dev.plumb.source.Sensitive;
import java.util.ArrayList;
import java.util.List;

/**
 * Unified diffs of text, as {@code diff -u} prints them, for showing file changes in a plan.
 *
 * <p>Common leading and trailing lines are trimmed first, so the usual edit (a few lines in a
 * large config file) costs a tiny LCS table; a very large middle falls back to delete-all/add-all,
 * which is still a correct diff.
 */
public final class TextDiff {
  private TextDiff() {}

  private static final int CONTEXT = 3;
  private static final long MAX_TABLE = 4_000_000;

  private record Edit(char op, String line) {}

  /** A unified diff from {@code before} to {@code after}; "" when equal. Null means absent. */
  public static String unified(String path, String before, String after) {
    String a = before == null ? "" : before;
    String b = after == null ? "" : after;
    if (a.equals(b) && (before == null) == (after == null)) {
      return "";
    }
    // Lines keep their newline, so "b" at the end of a file without a final newline differs from
    // "b\n": the diff then shows that line changing, marked "\ No newline at end of file".
    List<String> x = TextLines.split(a);
    List<String> y = TextLines.split(b);
    List<Edit> edits = edits(x, y);
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(before == null ? "/dev/null" : path).append('\n');
    out.append("+++ ").append(after == null ? "/dev/null" : path).append('\n');
    appendHunks(out, edits);
    return out.toString();
  }

  /** Lines, each keeping no terminator; a final line without newline is marked by the caller. */
  static List<String> lines(String text) {
    return TextLines.split(text).stream().map(TextLines::strip).toList();
  }

  private static List<Edit> edits(List<String> x, List<String> y) {
    int pre = 0;
    while (pre < x.size() && pre < y.size() && x.get(pre).equals(y.get(pre))) {
      pre++;
    }
    int suf = 0;
    while (suf < x.size() - pre && suf < y.size() - pre
        && x.get(x.size() - 1 - suf).equals(y.get(y.size() - 1 - suf))) {
      suf++;
    }
    List<Edit> edits = new ArrayList<>();
    for (int i = 0; i < pre; i++) {
      edits.add(new Edit(' ', x.get(i)));
    }
    middle(x.subList(pre, x.size() - suf), y.subList(pre, y.size() - suf), edits);
    for (int i = x.size() - suf; i < x.size(); i++) {
      edits.add(new Edit(' ', x.get(i)));
    }
    return edits;
  }

  private static void middle(List<String> x, List<String> y, List<Edit> out) {
    int n = x.size();
    int m = y.size();
    if ((long) n * m > MAX_TABLE) {
      x.forEach(l -> out.add(new Edit('-', l)));
      y.forEach(l -> out.add(new Edit('+', l)));
      return;
    }
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] = x.get(i).equals(y.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    int i = 0;
    int j = 0;
    while (i < n && j < m) {
      if (x.get(i).equals(y.get(j))) {
        out.add(new Edit(' ', x.get(i++)));
        j++;
      } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
        out.add(new Edit('-', x.get(i++)));
      } else {
        out.add(new Edit('+', y.get(j++)));
      }
    }
    while (i < n) {
      out.add(new Edit('-', x.get(i++)));
    }
    while (j < m) {
      out.add(new Edit('+', y.get(j++)));
    }
  }

  private static void appendHunks(StringBuilder out, List<Edit> edits) {
    int[] posA = new int[edits.size() + 1];
    int[] posB = new int[edits.size() + 1];
    int lineA = 1;
    int lineB = 1;
    for (int k = 0; k < edits.size(); k++) {
      posA[k] = lineA;
      posB[k] = lineB;
      if (edits.get(k).op != '+') {
        lineA++;
      }
      if (edits.get(k).op != '-') {
        lineB++;
      }
    }
    int idx = 0;
    while (idx < edits.size()) {
      if (edits.get(idx).op == ' ') {
        idx++;
        continue;
      }
      int start = Math.max(0, idx - CONTEXT);
      int end = idx;
      int lastChange = idx;
      while (end < edits.size()) {
        if (edits.get(end).op != ' ') {
          lastChange = end;
        } else if (end - lastChange > 2 * CONTEXT) {
          break;
        }
        end++;
      }
      end = Math.min(edits.size(), lastChange + CONTEXT + 1);
      int countA = 0;
      int countB = 0;
      for (int h = start; h < end; h++) {
        if (edits.get(h).op != '+') {
          countA++;
        }
        if (edits.get(h).op != '-') {
          countB++;
        }
      }
      int startA = countA == 0 ? posA[start] - 1 : posA[start];
      int startB = countB == 0 ? posB[start] - 1 : posB[start];
      out.append("@@ -").append(range(startA, countA)).append(" +").append(range(startB, countB)).append(" @@\n");
      for (int h = start; h < end; h++) {
        Edit e = edits.get(h);
        // A credential option's value (nova.conf's connection, a password) is never shown, even
        // in context lines: the diff says that it changes, not to what.
        boolean nl = e.line.endsWith("\n");
        out.append(e.op).append(Sensitive.redactLine(nl ? e.line.substring(0, e.line.length() - 1) : e.line));
        if (nl) {
          out.append('\n');
        } else {
          out.append("\n\\ No newline at end of file\n");
        }
      }
      idx = end;
    }
  }

  private static String range(int start, int count) {
    return count == 1 ? String.valueOf(start) : start + "," + count;
  }
}

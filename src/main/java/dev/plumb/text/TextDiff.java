package dev.plumb.text;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.HistogramDiff;
import org.eclipse.jgit.diff.Sequence;
import org.eclipse.jgit.diff.SequenceComparator;

/**
 * Unified diffs of text, as {@code diff -u} prints them, for showing file changes in a plan.
 *
 * <p>The edit script is JGit's HistogramDiff. The hunks are written here rather than by JGit's
 * {@code DiffFormatter}, which works on bytes: plan text is Java strings (a lone surrogate or a
 * CR must round-trip exactly), and every printed line goes through {@link Sensitive#redactLine}
 * so a credential's value never shows, not even as context.
 */
public final class TextDiff {
  private TextDiff() {}

  private static final int CONTEXT = 3;

  private record Edit(char op, String line) {}

  /** A unified diff from {@code before} to {@code after}; "" when equal. Null means absent. */
  public static String unified(String path, String before, String after) {
    return unified(path, path, before, after, true);
  }

  /**
   * A patch of a repository file for {@code git apply} ({@code a/} and {@code b/} prefixes, the path
   * relative to the repository's root). Nothing is redacted, since a redacted line would no longer
   * apply: the caller refuses a patch that carries a secret.
   */
  public static String patch(String path, String before, String after) {
    return unified("a/" + path, "b/" + path, before, after, false);
  }

  private static String unified(String pathA, String pathB, String before, String after, boolean redact) {
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
    out.append("--- ").append(before == null ? "/dev/null" : pathA).append('\n');
    out.append("+++ ").append(after == null ? "/dev/null" : pathB).append('\n');
    appendHunks(out, edits, redact);
    return out.toString();
  }

  /** Lines, each keeping no terminator; a final line without newline is marked by the caller. */
  static List<String> lines(String text) {
    return TextLines.split(text).stream().map(TextLines::strip).toList();
  }

  /**
   * The edit script by JGit's HistogramDiff (git's own algorithm, falling back to Myers when a
   * line repeats too often), over the lines as strings: no table to cap, so a 3-line change in a
   * 10,000-line nova.conf is a 3-line diff.
   */
  private static List<Edit> edits(List<String> x, List<String> y) {
    EditList script = HISTOGRAM.diff(LINE_EQUALITY, new Lines(x), new Lines(y));
    List<Edit> edits = new ArrayList<>(Math.max(x.size(), y.size()));
    int a = 0;
    for (org.eclipse.jgit.diff.Edit e : script) {
      while (a < e.getBeginA()) {
        edits.add(new Edit(' ', x.get(a++)));
      }
      for (; a < e.getEndA(); a++) {
        edits.add(new Edit('-', x.get(a)));
      }
      for (int b = e.getBeginB(); b < e.getEndB(); b++) {
        edits.add(new Edit('+', y.get(b)));
      }
    }
    while (a < x.size()) {
      edits.add(new Edit(' ', x.get(a++)));
    }
    return edits;
  }

  private static final HistogramDiff HISTOGRAM = new HistogramDiff();

  /** Lines as JGit's diff sees them; each line keeps its newline, so a final line without one differs. */
  private static final class Lines extends Sequence {
    final List<String> lines;

    Lines(List<String> lines) {
      this.lines = lines;
    }

    @Override
    public int size() {
      return lines.size();
    }
  }

  private static final SequenceComparator<Lines> LINE_EQUALITY = new SequenceComparator<>() {
    @Override
    public boolean equals(Lines a, int ai, Lines b, int bi) {
      return a.lines.get(ai).equals(b.lines.get(bi));
    }

    @Override
    public int hash(Lines seq, int i) {
      return seq.lines.get(i).hashCode();
    }
  };

  private static void appendHunks(StringBuilder out, List<Edit> edits, boolean redact) {
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
        String text = nl ? e.line.substring(0, e.line.length() - 1) : e.line;
        out.append(e.op).append(redact ? Sensitive.redactLine(text) : text);
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

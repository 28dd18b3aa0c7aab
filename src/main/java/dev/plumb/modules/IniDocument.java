package dev.plumb.modules;

import dev.plumb.text.TextLines;
import java.util.ArrayList;
import java.util.List;

/**
 * An INI file (oslo.config / nova.conf style) that keeps every line byte for byte, so an edit
 * changes only the lines of the option it sets.
 *
 * <p>Lines are {@code [section]} headers, {@code key = value} options (the first {@code =}
 * separates; key and value are trimmed; the rest of the line is the value, {@code #} included),
 * comments starting with {@code #} or {@code ;}, blank lines, and anything else (kept verbatim,
 * never interpreted). Options before the first header belong to section {@code ""}. Section names
 * are case-sensitive and {@code DEFAULT} is an ordinary name. A section may appear under several
 * headers, and an option repeated within a section is multi-valued (oslo's MultiStrOpt). Instances
 * are immutable.
 */
public final class IniDocument {

  /** One physical line: its text without terminator, its terminator ("\n", "\r\n" or "") and meaning. */
  private record Line(String text, String end, Kind kind, String section, String key, String value) {
    String raw() {
      return text + end;
    }
  }

  private enum Kind { HEADER, OPTION, OTHER }

  private final List<Line> lines;

  private IniDocument(List<Line> lines) {
    this.lines = List.copyOf(lines);
  }

  /** Parses INI text; never fails: lines it does not understand are kept as they are. */
  public static IniDocument parse(String text) {
    List<Line> lines = new ArrayList<>();
    String section = "";
    for (String[] l : TextLines.withEnds(text)) {
      Line line = classify(l[0], l[1], section);
      if (line.kind == Kind.HEADER) {
        section = line.section;
      }
      lines.add(line);
    }
    return new IniDocument(lines);
  }

  private static Line classify(String text, String end, String section) {
    String t = text.strip();
    if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
      return new Line(text, end, Kind.OTHER, section, null, null);
    }
    if (t.startsWith("[") && t.endsWith("]") && t.length() >= 2) {
      return new Line(text, end, Kind.HEADER, t.substring(1, t.length() - 1).strip(), null, null);
    }
    int eq = text.indexOf('=');
    if (eq > 0 && !text.substring(0, eq).isBlank()) {
      return new Line(text, end, Kind.OPTION, section, text.substring(0, eq).strip(), text.substring(eq + 1).strip());
    }
    return new Line(text, end, Kind.OTHER, section, null, null);
  }

  /** The values of an option in order of appearance (all headers of the section); empty when absent. */
  public List<String> values(String section, String option) {
    List<String> out = new ArrayList<>();
    for (Line l : lines) {
      if (isOption(l, section, option)) {
        out.add(l.value);
      }
    }
    return out;
  }

  /** Whether the section has a header (section {@code ""} always exists). */
  public boolean hasSection(String section) {
    return section.isEmpty() || lines.stream().anyMatch(l -> l.kind == Kind.HEADER && l.section.equals(section));
  }

  /**
   * The document with the option holding exactly {@code values}. Existing occurrences are replaced
   * in place: the first one's line becomes {@code option = value} (kept as is when it already holds
   * that value), further values follow it, and surplus occurrences are removed. An absent option is
   * added after the section's last option (or its header); an absent section is added at the end.
   * No other line changes, except that a last line without newline gets one when a line follows it.
   * An empty list removes the option.
   */
  public IniDocument set(String section, String option, List<String> values) {
    if (values.isEmpty()) {
      return remove(section, option);
    }
    if (values(section, option).equals(values)) {
      return this;
    }
    List<Line> out = new ArrayList<>(lines);
    int first = indexOfFirst(section, option);
    if (first >= 0) {
      for (int i = out.size() - 1; i > first; i--) {
        if (isOption(out.get(i), section, option)) {
          out.remove(i);
        }
      }
      Line old = out.get(first);
      if (!old.value.equals(values.get(0))) {
        out.set(first, optionLine(section, option, values.get(0), old.end));
      }
      insertOptions(out, first + 1, section, option, values.subList(1, values.size()));
      return new IniDocument(out);
    }
    int anchor = insertionPoint(section);
    if (anchor == -2) {
      if (!out.isEmpty()) {
        terminateLast(out);
        out.add(new Line("", "\n", Kind.OTHER, section, null, null));
      }
      out.add(new Line("[" + section + "]", "\n", Kind.HEADER, section, null, null));
      insertOptions(out, out.size(), section, option, values);
    } else {
      insertOptions(out, anchor, section, option, values);
    }
    return new IniDocument(out);
  }

  /** The document without any occurrence of the option; the same document when it is absent. */
  public IniDocument remove(String section, String option) {
    if (indexOfFirst(section, option) < 0) {
      return this;
    }
    List<Line> out = new ArrayList<>();
    for (Line l : lines) {
      if (!isOption(l, section, option)) {
        out.add(l);
      }
    }
    return new IniDocument(out);
  }

  /** The text, byte for byte as parsed except for the lines edits changed. */
  public String render() {
    StringBuilder s = new StringBuilder();
    lines.forEach(l -> s.append(l.raw()));
    return s.toString();
  }

  @Override
  public String toString() {
    return render();
  }

  private static boolean isOption(Line l, String section, String option) {
    return l.kind == Kind.OPTION && l.section.equals(section) && l.key.equals(option);
  }

  private int indexOfFirst(String section, String option) {
    for (int i = 0; i < lines.size(); i++) {
      if (isOption(lines.get(i), section, option)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Where a new option of {@code section} goes: after its last option line, else after its last
   * header; for section "" before the first header. -2 when the section has no header.
   */
  private int insertionPoint(String section) {
    int lastOption = -1;
    int lastHeader = -1;
    int firstHeader = -1;
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      if (l.kind == Kind.HEADER) {
        firstHeader = firstHeader < 0 ? i : firstHeader;
        if (l.section.equals(section)) {
          lastHeader = i;
        }
      } else if (l.kind == Kind.OPTION && l.section.equals(section)) {
        lastOption = i;
      }
    }
    if (lastOption >= 0) {
      return lastOption + 1;
    }
    if (section.isEmpty()) {
      return firstHeader < 0 ? lines.size() : firstHeader;
    }
    return lastHeader >= 0 ? lastHeader + 1 : -2;
  }

  private static void insertOptions(List<Line> out, int at, String section, String option, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    // Inserted lines end with a newline, or they would join the next line; at the end of a file
    // that has no final newline, the last inserted line goes without one, as the old last line did.
    boolean lastUnterminated = at == out.size() && at > 0 && out.get(at - 1).end.isEmpty();
    if (at > 0 && out.get(at - 1).end.isEmpty()) {
      terminateAt(out, at - 1);
    }
    List<Line> added = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      boolean last = i == values.size() - 1;
      added.add(optionLine(section, option, values.get(i), last && lastUnterminated ? "" : "\n"));
    }
    out.addAll(at, added);
  }

  private static void terminateLast(List<Line> out) {
    terminateAt(out, out.size() - 1);
  }

  private static void terminateAt(List<Line> out, int i) {
    Line l = out.get(i);
    if (l.end.isEmpty()) {
      out.set(i, new Line(l.text, "\n", l.kind, l.section, l.key, l.value));
    }
  }

  private static Line optionLine(String section, String option, String value, String end) {
    String text = value.isEmpty() ? option + " =" : option + " = " + value;
    return new Line(text, end, Kind.OPTION, section, option, value);
  }
}

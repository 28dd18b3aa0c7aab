package dev.plumb.modules.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal oslo.config-style INI editor: lines not touched are kept byte for byte.
 * TODO(merge): replace with dev.plumb.modules.IniDocument
 */
final class MiniIni implements NovaConf {
  private static final Pattern SECTION = Pattern.compile("^\\s*\\[([^\\]]+)\\]\\s*$");
  private static final Pattern OPTION = Pattern.compile("^([^=#;\\s\\[][^=]*?)\\s*=\\s*(.*?)\\s*$");

  private final List<String> lines;

  private MiniIni(List<String> lines) {
    this.lines = lines;
  }

  static MiniIni parse(String text) {
    return new MiniIni(new ArrayList<>(TextLines.split(text)));
  }


  private List<Integer> positions(String section, String option) {
    List<Integer> out = new ArrayList<>();
    String current = null;
    for (int i = 0; i < lines.size(); i++) {
      String l = TextLines.strip(lines.get(i));
      Matcher s = SECTION.matcher(l);
      if (s.matches()) {
        current = s.group(1).strip();
        continue;
      }
      Matcher o = OPTION.matcher(l);
      if (section.equals(current) && o.matches() && o.group(1).equals(option)) {
        out.add(i);
      }
    }
    return out;
  }

  @Override
  public List<String> values(String section, String option) {
    List<String> out = new ArrayList<>();
    for (int i : positions(section, option)) {
      Matcher o = OPTION.matcher(TextLines.strip(lines.get(i)));
      if (o.matches()) {
        out.add(o.group(2));
      }
    }
    return out;
  }

  @Override
  public NovaConf set(String section, String option, List<String> values) {
    MiniIni copy = new MiniIni(new ArrayList<>(lines));
    copy.setInPlace(section, option, values);
    return copy;
  }

  private void setInPlace(String section, String option, List<String> values) {
    if (values.equals(values(section, option))) {
      return;
    }
    List<Integer> at = positions(section, option);
    List<String> newLines = values.stream().map(v -> option + " = " + v + "\n").toList();
    if (!at.isEmpty()) {
      int first = at.get(0);
      for (int k = at.size() - 1; k >= 0; k--) {
        lines.remove((int) at.get(k));
      }
      lines.addAll(first, newLines);
      return;
    }
    if (values.isEmpty()) {
      return;
    }
    int header = -1;
    for (int i = 0; i < lines.size(); i++) {
      Matcher s = SECTION.matcher(TextLines.strip(lines.get(i)));
      if (s.matches() && s.group(1).strip().equals(section)) {
        header = i;
        break;
      }
    }
    ensureFinalNewline();
    if (header < 0) {
      if (!lines.isEmpty() && !TextLines.strip(lines.get(lines.size() - 1)).isBlank()) {
        lines.add("\n");
      }
      lines.add("[" + section + "]\n");
      lines.addAll(newLines);
      return;
    }
    // After the last non-blank line of the section.
    int insert = header + 1;
    for (int i = header + 1; i < lines.size(); i++) {
      String l = TextLines.strip(lines.get(i));
      if (SECTION.matcher(l).matches()) {
        break;
      }
      if (!l.isBlank()) {
        insert = i + 1;
      }
    }
    lines.addAll(insert, newLines);
  }

  private void ensureFinalNewline() {
    if (!lines.isEmpty() && !lines.get(lines.size() - 1).endsWith("\n")) {
      lines.set(lines.size() - 1, lines.get(lines.size() - 1) + "\n");
    }
  }

  @Override
  public String render() {
    return String.join("", lines);
  }

}

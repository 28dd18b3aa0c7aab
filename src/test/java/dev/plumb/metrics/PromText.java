package dev.plumb.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An independent reader of the Prometheus text exposition format (version 0.0.4), for tests: it
 * shares no code with the writer, so a test that reads figures back checks what a scraper sees.
 */
public record PromText(List<Sample> samples, Map<String, String> types, Map<String, String> helps) {

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+-?\\d+)?");
  private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");

  public static PromText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, String> helps = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] w = line.substring(7).split(" ", 2);
        types.put(w[0], w[1]);
        continue;
      }
      if (line.startsWith("# HELP ")) {
        String[] w = line.substring(7).split(" ", 2);
        helps.put(w[0], w.length > 1 ? w[1] : "");
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        int end = 0;
        while (l.lookingAt()) {
          labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
          end = l.end();
          l.region(end, m.group(3).length());
        }
        if (end != m.group(3).length()) {
          throw new IllegalArgumentException("bad labels: " + line);
        }
      }
      String v = m.group(4);
      double value = switch (v) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> Double.parseDouble(v);
      };
      samples.add(new Sample(m.group(1), labels, value));
    }
    return new PromText(samples, types, helps);
  }

  /** The value of the one sample with this name and these labels (name, value pairs). */
  public double value(String name, String... labelPairs) {
    Map<String, String> want = new LinkedHashMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      want.put(labelPairs[i], labelPairs[i + 1]);
    }
    List<Sample> found = samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(want)).toList();
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples " + name + want + " in:\n" + samples);
    }
    return found.get(0).value();
  }
}

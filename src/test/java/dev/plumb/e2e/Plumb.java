package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.cli.Main;
import dev.plumb.lab.Lab;
import dev.plumb.text.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs plumb for the end-to-end tests: in-process ({@link #run}, the same entry point as the jar's
 * main) or as the packaged {@code bin/plumb} in a subprocess ({@link #subprocess}); and reads its
 * {@code --format json} report (docs/json-format.md).
 */
record Plumb(int exit, String out, String err) {

  /** Runs plumb in this JVM; relative paths resolve against the working directory (the repo root). */
  static Plumb run(String... args) {
    requireRepoRootIsWorkingDirectory();
    List<String> all = new ArrayList<>(Arrays.asList(args));
    // Only the verbs that print coloured reports take --no-color (the others refuse it).
    if (!all.isEmpty() && List.of("plan", "check", "apply", "pull").contains(all.get(0))) {
      all.add(1, "--no-color"); // after the verb
    }
    // apply records by default in a git repository, and these tests run inside plumb's own: only
    // tests about records record.
    if (!all.isEmpty() && all.get(0).equals("apply") && !all.contains("--record")) {
      all.add(1, "--no-record");
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new Plumb(exit, out.toString(), err.toString());
  }

  /**
   * Runs {@code prefix... <root>/bin/plumb args...} as a process in the repository root, with
   * {@code env} added to the environment; stdout and stderr go to files (never a full pipe).
   */
  static Plumb subprocess(Path root, List<String> prefix, Map<String, String> env, String... args) {
    List<String> argv = new ArrayList<>(prefix);
    argv.add(root.resolve("bin/plumb").toString());
    argv.addAll(Arrays.asList(args));
    try {
      Path out = Files.createTempFile("plumb-out", ".txt");
      Path err = Files.createTempFile("plumb-err", ".txt");
      // Readable by any user the command may switch to (setpriv/runuser), and writable only by us.
      try {
        ProcessBuilder builder =
            new ProcessBuilder(argv)
                .directory(root.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("`" + String.join(" ", argv) + "` did not end within 120 s");
        }
        return new Plumb(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The repository root (system property plumb.root, set by failsafe; else the working directory). */
  static Path root() {
    String property = System.getProperty("plumb.root");
    return Path.of(property == null || property.isBlank() ? "" : property).toAbsolutePath().normalize();
  }

  private static void requireRepoRootIsWorkingDirectory() {
    assertThat(Path.of("").toAbsolutePath().normalize())
        .as("the end-to-end tests run plumb with paths relative to the repository root; run them from it")
        .isEqualTo(root());
  }

  /** The parsed {@code --format json} report on stdout. */
  Report json() {
    try {
      return new Report(asMap(Json.parse(out)));
    } catch (IllegalArgumentException e) {
      throw new AssertionError("stdout is not one JSON object (" + e.getMessage() + "):\n" + this, e);
    }
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }

  /** The whole JSON report. */
  record Report(Map<String, Object> map) {
    int exitCode() {
      return integer(map.get("exit_code"));
    }

    Map<String, Object> summary() {
      return asMap(map.get("summary"));
    }

    int summaryCount(String key) {
      Object v = summary().get(key);
      return v == null ? 0 : integer(v);
    }

    List<Host> hosts() {
      return asList(map.get("hosts")).stream().map(h -> new Host(asMap(h))).toList();
    }

    Host host(String name) {
      return hosts().stream()
          .filter(h -> h.name().equals(name))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no host " + name + " in the report: " + Json.pretty(map)));
    }

    @Override
    public String toString() {
      return Json.pretty(map);
    }
  }

  /** One host of the report. */
  record Host(Map<String, Object> map) {
    String name() {
      return (String) map.get("name");
    }

    String outcome() {
      return (String) map.get("outcome");
    }

    List<String> problems() {
      return strings(map.get("problems"));
    }

    int execs() {
      return integer(map.get("execs"));
    }

    boolean flag(String key) {
      return Boolean.TRUE.equals(map.get(key));
    }

    List<Step> steps() {
      return asList(map.get("steps")).stream().map(s -> new Step(asMap(s))).toList();
    }

    /** The steps planned again after the reboot ({@code after_reboot}); empty when absent. */
    List<Step> afterReboot() {
      Object v = map.get("after_reboot");
      return v == null ? List.of() : asList(v).stream().map(s -> new Step(asMap(s))).toList();
    }

    Step step(String id) {
      return find(steps(), id, "steps");
    }

    Step stepAfterReboot(String id) {
      return find(afterReboot(), id, "after_reboot");
    }

    private Step find(List<Step> steps, String id, String where) {
      return steps.stream()
          .filter(s -> s.id().equals(id))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no step " + id + " in " + where + " of " + name() + ": " + Json.pretty(map)));
    }

    @Override
    public String toString() {
      return Json.pretty(map);
    }
  }

  /** One step of a host's plan. */
  record Step(Map<String, Object> map) {
    String id() {
      return (String) map.get("id");
    }

    String action() {
      return (String) map.get("action");
    }

    List<String> blockers() {
      return strings(map.get("blockers"));
    }

    List<String> notes() {
      return strings(map.get("notes"));
    }

    /** {@code result.status}, or empty when the step has no result. */
    Optional<String> status() {
      return result().map(r -> (String) r.get("status"));
    }

    /** {@code result.commands_run}; 0 when the step has no result. */
    int commandsRun() {
      return result().map(r -> r.get("commands_run")).map(Plumb::integer).orElse(0);
    }

    Optional<Map<String, Object>> result() {
      Object r = map.get("result");
      return r == null ? Optional.empty() : Optional.of(asMap(r));
    }

    @Override
    public String toString() {
      return Json.pretty(map);
    }
  }

  static int integer(Object value) {
    if (value instanceof BigDecimal b) {
      return b.intValueExact();
    }
    if (value instanceof Number n) {
      return n.intValue();
    }
    throw new AssertionError("not a number: " + value);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object value) {
    if (!(value instanceof Map)) {
      throw new AssertionError("not a JSON object: " + value);
    }
    return new LinkedHashMap<>((Map<String, Object>) value);
  }

  @SuppressWarnings("unchecked")
  static List<Object> asList(Object value) {
    if (!(value instanceof List)) {
      throw new AssertionError("not a JSON array: " + value);
    }
    return (List<Object>) value;
  }

  static List<String> strings(Object value) {
    return value == null ? List.of() : asList(value).stream().map(String::valueOf).toList();
  }

  /** SSH exec channels per host, for "before/after" deltas. */
  static Map<String, Integer> execCounts(Lab lab) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String host : lab.hosts()) {
      counts.put(host, lab.execCount(host));
    }
    return counts;
  }
}

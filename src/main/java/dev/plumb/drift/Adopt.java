package dev.plumb.drift;

import dev.plumb.facts.FactSet;
import dev.plumb.load.HostCatalog;
import dev.plumb.load.Resource;
import dev.plumb.modules.HostValue;
import dev.plumb.source.Mark;
import dev.plumb.source.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code plumb drift adopt}: the edits of the input files that make a host's declared state equal
 * what the host has, for value parameters. Each value is written back where it is declared: the
 * playbook's scalar, or, when that scalar is exactly {@code {{ var }}}, the inventory, host_vars or
 * group_vars scalar that defines the variable (followed as far as it goes). Pure: the files' texts
 * come from {@code files}; nothing is written.
 */
public final class Adopt {
  private static final Pattern WHOLE_VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}");
  private static final int MAX_INDIRECTIONS = 8;

  private Adopt() {}

  /**
   * The outcome.
   *
   * @param files the edited text of each file changed, by its mark's file name
   * @param adopted one note per value adopted: resource, parameter, where
   * @param refused one note per difference that could not be adopted, and why
   */
  public record Result(Map<String, String> files, List<Note> adopted, List<Note> refused) {
    public Result {
      files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
      adopted = List.copyOf(adopted);
      refused = List.copyOf(refused);
    }
  }

  /** A line for the operator about one resource. */
  public record Note(String resource, String message) {
    @Override
    public String toString() {
      return message;
    }
  }

  /** One scalar to rewrite. */
  private record Target(Mark mark, ScalarEdit.Found found, String text, String what, String resource) {}

  /**
   * The edits for {@code host}'s resources ({@code only}: one resource id, or all), from the host's
   * {@code facts}; {@code files} reads an input file by its mark's name (empty when it cannot).
   */
  public static Result of(HostCatalog host, FactSet facts, Optional<String> only, Function<String, Optional<String>> files) {
    List<Note> refused = new ArrayList<>();
    List<Target> targets = new ArrayList<>();
    for (Resource r : host.resources()) {
      if (only.isPresent() && !only.get().equals(r.id())) {
        continue;
      }
      for (HostValue hv : r.module().hostValues(r.params(), facts)) {
        String what = r.id() + " " + hv.param() + (hv.index() == HostValue.WHOLE ? "" : "[" + hv.index() + "]");
        Optional<Value> declared = declaring(r, hv);
        if (declared.isEmpty() || !(declared.get() instanceof Value.Scalar scalar)) {
          refused.add(new Note(r.id(), what + ": not declared as a single value; edit it by hand"));
          continue;
        }
        List<String> why = new ArrayList<>();
        Optional<Target> at = locate(host, scalar, files, what, why);
        at.ifPresent(t -> targets.add(new Target(t.mark(), t.found(), hv.text(), what, r.id())));
        why.forEach(w -> refused.add(new Note(r.id(), w)));
      }
    }
    Map<String, List<Target>> byFile = new LinkedHashMap<>();
    for (Target t : targets) {
      byFile.computeIfAbsent(t.mark().file(), f -> new ArrayList<>()).add(t);
    }
    Map<String, String> edited = new LinkedHashMap<>();
    List<Note> adopted = new ArrayList<>();
    for (Map.Entry<String, List<Target>> e : byFile.entrySet()) {
      String text = files.apply(e.getKey()).orElseThrow();
      String before = text;
      // From the end of the file back, so the marks of the scalars not yet edited still hold.
      List<Target> sorted = new ArrayList<>(e.getValue());
      sorted.sort(Comparator.comparingInt((Target t) -> t.found().start()).reversed());
      Map<Integer, Target> done = new LinkedHashMap<>();
      for (Target t : sorted) {
        Target same = done.get(t.found().start());
        if (same != null) {
          if (!same.text().equals(t.text())) {
            refused.add(new Note(t.resource(), t.what() + ": declared at " + t.mark() + " like " + same.what()
                + ", which the host has with another value; edit them by hand"));
          } else {
            adopted.add(new Note(t.resource(), t.what() + " at " + t.mark()));
          }
          continue;
        }
        Optional<ScalarEdit.Found> now = ScalarEdit.find(text, t.mark().line(), t.mark().column());
        String current = text;
        Optional<String> next = now.flatMap(f -> ScalarEdit.replace(current, f, t.text()));
        if (next.isEmpty()) {
          refused.add(new Note(t.resource(), t.what() + ": the host's value cannot be written at " + t.mark()
              + " as YAML; edit it by hand"));
          continue;
        }
        text = next.get();
        done.put(t.found().start(), t);
        adopted.add(new Note(t.resource(), t.what() + " at " + t.mark()));
      }
      if (!text.equals(before)) {
        edited.put(e.getKey(), text);
      }
    }
    java.util.Collections.reverse(adopted);
    return new Result(edited, adopted, refused);
  }

  /** The value the host value replaces: the parameter, or its item. */
  private static Optional<Value> declaring(Resource r, HostValue hv) {
    Optional<Value> v = r.params().value(hv.param());
    if (v.isEmpty() || hv.index() == HostValue.WHOLE) {
      return v;
    }
    if (v.get() instanceof Value.Seq seq) {
      return hv.index() < seq.items().size() ? Optional.of(seq.items().get(hv.index())) : Optional.empty();
    }
    return hv.index() == 0 ? v : Optional.empty();
  }

  /** Where the scalar's text is written, following a whole {@code {{ var }}} to the variable's definition. */
  private static Optional<Target> locate(HostCatalog host, Value.Scalar scalar, Function<String, Optional<String>> files,
      String what, List<String> refused) {
    Mark mark = scalar.mark();
    boolean sensitive = scalar.sensitive();
    for (int hop = 0; hop < MAX_INDIRECTIONS; hop++) {
      if (sensitive) {
        refused.add(what + ": a secret; adopt does not print secrets");
        return Optional.empty();
      }
      if (mark.line() == 0) {
        refused.add(what + ": given in " + mark.file() + ", not in a file; change it there");
        return Optional.empty();
      }
      Optional<String> text = files.apply(mark.file());
      Mark at = mark;
      Optional<ScalarEdit.Found> found = text.flatMap(t -> ScalarEdit.find(t, at.line(), at.column()));
      if (found.isEmpty()) {
        refused.add(what + ": no value found at " + mark + "; edit it by hand");
        return Optional.empty();
      }
      String written = found.get().value();
      if (!written.contains("{{")) {
        if (!written.equals(scalar.text())) {
          // The variable found is not the one in force (a play or -e variable overrides it).
          refused.add(what + ": the value at " + mark + " is overridden elsewhere; edit it by hand");
          return Optional.empty();
        }
        return Optional.of(new Target(mark, found.get(), null, what, null));
      }
      Matcher m = WHOLE_VARIABLE.matcher(written.strip());
      Value var = m.matches() ? host.host().vars().get(m.group(1)) : null;
      if (!(var instanceof Value.Scalar s)) {
        refused.add(what + ": declared at " + mark + " as the template '" + written.strip()
            + "'" + (m.matches() ? " (a play or command-line variable)" : "") + "; edit it by hand");
        return Optional.empty();
      }
      mark = s.mark();
      sensitive = s.sensitive();
    }
    refused.add(what + ": variables refer to each other too deeply; edit it by hand");
    return Optional.empty();
  }
}

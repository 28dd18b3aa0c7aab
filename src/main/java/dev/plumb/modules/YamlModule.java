package dev.plumb.modules;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.text.Shell;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A module declared in YAML ({@code modules/*.yml}): one command fact, a condition on its output
 * that says the resource is converged, and the shell commands that converge it.
 *
 * <p>Templates name parameters as {@code {{ param }}}. In the fact and converge commands each value
 * is replaced by its shell-quoted form (a list by its quoted words, separated by spaces), so a
 * value never reaches a shell unquoted. In the converged condition the value is replaced as is: it
 * is compared with output, not run.
 */
public final class YamlModule implements Module {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  /** When the fact's output says the resource is converged. */
  public sealed interface Condition {
    /** The fact command exited with this status. */
    record ExitStatus(int status) implements Condition {}

    /** Stdout contains this text (a template). */
    record StdoutContains(String text) implements Condition {}

    /** Stdout equals this text (a template), both with whitespace runs collapsed and trimmed. */
    record StdoutEquals(String text) implements Condition {}
  }

  private final ModuleSpec spec;
  private final String factTemplate;
  private final Condition converged;
  private final List<String> convergeTemplates;
  private final TakesEffect takesEffect;

  /** A module whose resources need a name. */
  public YamlModule(String type, String description, List<Param> params, String factTemplate, Condition converged,
      List<String> convergeTemplates, TakesEffect takesEffect) {
    this(type, description, params, factTemplate, converged, convergeTemplates, takesEffect, null);
  }

  /**
   * A module whose resources are named by {@code keyParam} when they have no name (null: they need
   * one).
   *
   * @throws IllegalArgumentException when a template names a parameter that is not declared, or
   *     keyParam is not one
   */
  public YamlModule(String type, String description, List<Param> params, String factTemplate, Condition converged,
      List<String> convergeTemplates, TakesEffect takesEffect, String keyParam) {
    this.spec = new ModuleSpec(type, description, keyParam, params);
    this.factTemplate = factTemplate;
    this.converged = converged;
    this.convergeTemplates = List.copyOf(convergeTemplates);
    this.takesEffect = takesEffect == null ? TakesEffect.NOW : takesEffect;
    Set<String> declared = spec.params().stream().map(Param::name).collect(Collectors.toSet());
    List<String> templates = new ArrayList<>(this.convergeTemplates);
    templates.add(factTemplate);
    if (converged instanceof Condition.StdoutContains c) {
      templates.add(c.text());
    } else if (converged instanceof Condition.StdoutEquals e) {
      templates.add(e.text());
    }
    for (String t : templates) {
      if (PLACEHOLDER.matcher(t).replaceAll("").contains("{{")) {
        throw new IllegalArgumentException("module " + type + ": '" + t + "' has a '{{' that is not a placeholder:"
            + " write {{ param }} with a parameter name only");
      }
      for (String name : placeholders(t)) {
        if (!declared.contains(name)) {
          throw new IllegalArgumentException("module " + type + ": template names {{ " + name
              + " }}, which is not a declared parameter (declared: " + String.join(", ", declared) + ")");
        }
      }
    }
  }

  /** The parameter names a template uses, in order of first use. */
  public static Set<String> placeholders(String template) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** The template with each placeholder replaced by {@code render(param name)}. */
  static String substitute(String template, Function<String, String> render) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(render.apply(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The template with values shell-quoted: for commands. */
  public static String forShell(String template, Params params) {
    return substitute(template, name -> {
      List<String> words = params.strings(name);
      return words.isEmpty() ? "''" : words.stream().map(Shell::quote).collect(Collectors.joining(" "));
    });
  }

  /** The template with values as they are: for comparing with output. */
  public static String asText(String template, Params params) {
    return substitute(template, name -> String.join(" ", params.strings(name)));
  }

  @Override
  public ModuleSpec spec() {
    return spec;
  }

  @Override
  public List<Fact> facts(Params p) {
    return List.of(Fact.command(forShell(factTemplate, p)));
  }

  @Override
  public Change diff(Params p, FactSet facts) {
    FactResult.Output out = facts.command(forShell(factTemplate, p));
    String seen = normalize(out.text());
    String shown = seen.isEmpty() ? "exit " + out.exitStatus() : abbreviate(seen);
    if (holds(converged, out, p)) {
      return Change.none(shown);
    }
    List<Command> cmds = convergeTemplates.stream().map(t -> Command.shell(forShell(t, p))).toList();
    return Change.of(Action.RUN, shown, expected(p), cmds).withTakesEffect(takesEffect);
  }

  static boolean holds(Condition c, FactResult.Output out, Params p) {
    if (c instanceof Condition.ExitStatus e) {
      return out.exitStatus() == e.status();
    }
    if (c instanceof Condition.StdoutContains s) {
      return out.text().contains(asText(s.text(), p));
    }
    Condition.StdoutEquals e = (Condition.StdoutEquals) c;
    return normalize(out.text()).equals(normalize(asText(e.text(), p)));
  }

  private String expected(Params p) {
    if (converged instanceof Condition.ExitStatus e) {
      return "check exits " + e.status();
    }
    if (converged instanceof Condition.StdoutContains s) {
      return "output contains " + abbreviate(asText(s.text(), p));
    }
    return abbreviate(normalize(asText(((Condition.StdoutEquals) converged).text(), p)));
  }

  /** Whitespace runs (tabs from sysctl, a final newline) do not count. */
  static String normalize(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  @Override
  public String toString() {
    return "YamlModule[" + spec.type() + "]";
  }
}

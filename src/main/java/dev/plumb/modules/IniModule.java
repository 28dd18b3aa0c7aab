package dev.plumb.modules;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.source.Problems;
import dev.plumb.text.Json;
import java.util.List;
import java.util.Set;

/**
 * {@code ini}: one option of an INI file (nova.conf and other oslo.config files), single- or
 * multi-valued, compared as JSON where the values are JSON. Edits touch only the option's lines.
 *
 * <p>The key parameter is {@code option}: {@code ini[alias]}. Two resources setting the same option
 * name (in two sections or files) need names.
 */
public final class IniModule implements Module {

  private static final ModuleSpec SPEC = ModuleSpec.of("ini",
      "One option of an INI file (nova.conf style), single- or multi-valued, JSON-aware.", "option",
      Param.required("path", Param.Type.STRING, "Absolute path of the file; created when missing."),
      Param.optional("section", Param.Type.STRING, "",
          "Section name, case-sensitive (DEFAULT is an ordinary name); \"\" for options before the first header."),
      Param.required("option", Param.Type.STRING, "Option name."),
      Param.optional("value", Param.Type.STRING, null, "The value. Not with values."),
      Param.optional("values", Param.Type.STRINGS, null,
          "The values of a multi-valued option, one line each, in this order. Not with value."),
      Param.optional("json", Param.Type.STRING, "auto",
          "true: compare values as JSON (key order and spacing ignored); false: as text; auto: as JSON when"
              + " both sides are a JSON object or array."),
      Param.oneOf("state", "present", "present, or absent: remove every occurrence.", "present", "absent"));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public void validate(Params params, Problems problems) {
    ParamChecks.absolutePath(params, "path", problems);
    ParamChecks.presentOrAbsent(params, problems);
    String state = params.string("state");
    String json = params.string("json");
    if (!json.equals("auto") && !Params.isBool(json)) {
      problems.error(params.mark("json"), "json '" + json + "' is not true, false or auto", "use true, false or auto");
    }
    String option = params.string("option");
    if (option.isBlank() || !option.equals(option.strip()) || option.contains("=") || option.contains("\n")
        || option.startsWith("#") || option.startsWith(";") || option.startsWith("[")) {
      problems.error(params.mark("option"), "option '" + option + "' cannot be written as an INI key",
          "use a name without '=', line breaks, surrounding spaces, or a leading # ; [");
    }
    String section = params.string("section");
    if (!section.equals(section.strip()) || section.contains("]") || section.contains("\n")) {
      problems.error(params.mark("section"), "section '" + section + "' cannot be written as an INI header",
          "use a name without ']', line breaks or surrounding spaces");
    }
    if (params.has("value") && params.has("values")) {
      problems.error(params.mark("values"), "value and values are both given", "keep one of them");
    }
    if (state.equals("present") && !params.has("value") && !params.has("values")) {
      problems.error(params.mark(), "value or values is required with state present", "add value: the option's value");
    }
    if (state.equals("absent") && (params.has("value") || params.has("values"))) {
      problems.error(params.mark(params.has("value") ? "value" : "values"), "a value has no meaning with state absent",
          "remove the value or the state");
    }
    String field = params.has("value") ? "value" : "values";
    for (String v : wanted(params)) {
      if (!v.equals(v.strip()) || v.contains("\n") || v.contains("\r")) {
        problems.error(params.mark(field), "value '" + v + "' has surrounding spaces or a line break, which INI cannot"
            + " keep, so every run would change the file again", "remove them (a JSON value can be written on one line)");
      } else if (json.equals("true") || (Params.isBool(json) && Params.parseBool(json))) {
        try {
          Json.parse(v);
        } catch (IllegalArgumentException e) {
          problems.error(params.mark(field), "value is not JSON: " + e.getMessage(), "fix the JSON or set json: false");
        }
      }
    }
  }

  private static List<String> wanted(Params params) {
    return params.has("value") ? List.of(params.string("value")) : params.strings("values");
  }

  @Override
  public List<Fact> facts(Params params) {
    return List.of(Fact.file(params.string("path")));
  }

  @Override
  public Set<String> writes(Params params) {
    return Set.of(params.string("path"));
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    String path = params.string("path");
    String section = params.string("section");
    String option = params.string("option");
    FactResult current = facts.get(Fact.file(path));
    boolean present = params.string("state").equals("present");
    if (current instanceof FactResult.Unreadable) {
      return FileChange.unreadable(path, present ? option + " set" : option + " absent");
    }
    String text = current instanceof FactResult.Content c ? c.text() : "";
    IniDocument doc = IniDocument.parse(text);
    List<String> have = doc.values(section, option);
    String where = (section.isEmpty() ? "" : "[" + section + "] ") + option;
    if (!present) {
      return have.isEmpty()
          ? Change.none(where + " absent")
          : FileChange.write(path, current, doc.remove(section, option).render(), null);
    }
    List<String> want = wanted(params);
    if (same(have, want, params.string("json"))) {
      return Change.none(where + " = " + String.join(", ", have));
    }
    return FileChange.write(path, current, doc.set(section, option, want).render(), null);
  }

  /** The option's values on the host, where they differ item by item (a different count is not adoptable). */
  @Override
  public List<HostValue> hostValues(Params params, FactSet facts) {
    FactResult current = facts.get(Fact.file(params.string("path")));
    if (!params.string("state").equals("present") || !(current instanceof FactResult.Content c)) {
      return List.of();
    }
    List<String> have = IniDocument.parse(c.text()).values(params.string("section"), params.string("option"));
    List<String> want = wanted(params);
    String json = params.string("json");
    if (have.size() != want.size()) {
      return List.of();
    }
    List<HostValue> out = new java.util.ArrayList<>();
    for (int i = 0; i < have.size(); i++) {
      if (!sameValue(have.get(i), want.get(i), json)) {
        out.add(params.has("value") ? HostValue.whole("value", have.get(i)) : new HostValue("values", i, have.get(i)));
      }
    }
    return out;
  }

  private static boolean same(List<String> have, List<String> want, String json) {
    if (have.size() != want.size()) {
      return false;
    }
    for (int i = 0; i < have.size(); i++) {
      if (!sameValue(have.get(i), want.get(i), json)) {
        return false;
      }
    }
    return true;
  }

  /** Equal as text, or as JSON when asked (json true) or when both sides are JSON containers (auto). */
  static boolean sameValue(String have, String want, String json) {
    if (have.equals(want)) {
      return true;
    }
    if (json.equals("auto")) {
      return isContainer(have) && isContainer(want) && Json.equivalent(have, want);
    }
    return Params.parseBool(json) && Json.equivalent(have, want);
  }

  private static boolean isContainer(String text) {
    String t = text.strip();
    return (t.startsWith("{") || t.startsWith("[")) && Json.isValid(t);
  }
}

package dev.plumb.load;

import dev.plumb.modules.Module;
import dev.plumb.modules.Param;
import dev.plumb.modules.Params;
import dev.plumb.source.Mark;
import dev.plumb.source.Problems;
import dev.plumb.source.Suggest;
import dev.plumb.source.Value;
import java.util.List;

/** Checks a resource's substituted parameters against its module's {@link Param}s. */
final class ParamCheck {
  private ParamCheck() {}

  static void check(Module module, Value.Map params, Mark typeMark, Problems problems) {
    List<String> names = module.params().stream().map(Param::name).toList();
    for (String key : params.entries().keySet()) {
      if (!names.contains(key)) {
        problems.error(params.keyMark(key), "unknown parameter '" + key + "' for " + module.type(),
            Suggest.didYouMean(key, names) + module.type() + " takes: " + String.join(", ", names));
      }
    }
    for (Param p : module.params()) {
      Value v = params.entries().get(p.name());
      if (v == null || v instanceof Value.Null) {
        if (p.required()) {
          problems.error(typeMark, "missing required parameter '" + p.name() + "' for " + module.type(),
              "add '" + p.name() + ": …'" + (p.doc() == null || p.doc().isEmpty() ? "" : " (" + p.doc() + ")"));
        }
        continue;
      }
      type(module, p, v, problems);
    }
  }

  private static void type(Module module, Param p, Value v, Problems problems) {
    boolean ok = switch (p.type()) {
      case STRING -> v instanceof Value.Scalar;
      case BOOL -> v instanceof Value.Scalar s && Params.isBool(s.text());
      case INT -> v instanceof Value.Scalar s && s.text().strip().matches("-?\\d+");
      case LIST -> v instanceof Value.Seq;
      case MAP -> v instanceof Value.Map;
      case STRINGS -> v instanceof Value.Scalar || v instanceof Value.Seq;
      case ANY -> true;
    };
    if (!ok) {
      problems.error(v.mark(), "parameter '" + p.name() + "' of " + module.type() + ": expected "
          + p.type().expected() + ", got " + describe(v), fix(p.type()));
      return;
    }
    if (!p.values().isEmpty() && v instanceof Value.Scalar s && !p.values().contains(s.text())) {
      problems.error(v.mark(), "parameter '" + p.name() + "' of " + module.type() + ": '" + s.text() + "' is not one of "
          + String.join(", ", p.values()), Suggest.didYouMean(s.text(), p.values()) + "use one of " + String.join(", ", p.values()));
      return;
    }
    if (p.type() == Param.Type.STRINGS && v instanceof Value.Seq seq) {
      for (Value item : seq.items()) {
        if (!(item instanceof Value.Scalar)) {
          problems.error(item.mark(), "parameter '" + p.name() + "' of " + module.type()
              + ": expected a list of strings, this item is " + describe(item), "write each item as a plain string");
        }
      }
    }
  }

  static String describe(Value v) {
    return v instanceof Value.Scalar s ? "a string ('" + s.text() + "')" : v.kind();
  }

  private static String fix(Param.Type type) {
    return switch (type) {
      case STRING -> "write a single value (quote it if it looks like a list or mapping)";
      case BOOL -> "write true or false (yes/no, on/off and 1/0 work too)";
      case INT -> "write digits only, e.g. 30";
      case LIST -> "write a list: [a, b], or one '- item' per line";
      case MAP -> "write a mapping: {key: value}, or one 'key: value' per line";
      case STRINGS -> "write a string, or a list of strings: [a, b]";
      case ANY -> "";
    };
  }
}

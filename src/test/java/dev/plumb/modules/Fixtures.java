package dev.plumb.modules;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.source.Problems;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fixture facts and parameters for module tests. */
final class Fixtures {
  private Fixtures() {}

  static Params params(Module module, Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return Params.of(m, module.params());
  }

  /** Facts from (Fact, FactResult) pairs. */
  static FactSet facts(Object... pairs) {
    Map<Fact, FactResult> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((Fact) pairs[i], (FactResult) pairs[i + 1]);
    }
    return FactSet.of(m);
  }

  static FactResult.Content content(String text) {
    return FactResult.content(text);
  }

  static FactResult missing() {
    return new FactResult.Missing();
  }

  static FactResult.Output out(int exit, String stdout) {
    return FactResult.output(exit, stdout);
  }

  /** The messages of the problems {@code validate} finds. */
  static List<String> problems(Module module, Params params) {
    Problems problems = new Problems();
    module.validate(params, problems);
    return problems.all().stream().map(p -> p.message()).toList();
  }

  static String sha(String text) {
    return content(text).sha256();
  }
}

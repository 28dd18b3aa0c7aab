package dev.plumb.plan;

import static org.quicktheories.generators.SourceDSL.strings;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.modules.Label;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Mark;
import dev.plumb.source.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/**
 * Generated host plans, wide: text over the whole Basic Multilingual Plane and beyond (controls,
 * quotes, newlines, emoji), arbitrary bytes for stdin and predicted contents, every action, label,
 * takes-effect and fact-result kind, and steps that depend on and notify earlier ones.
 */
public final class PlanGen {
  private PlanGen() {}

  /** Text as module code and users write it, well-formed UTF-16 (no lone surrogates). */
  static final Gen<String> TEXT = Generate.oneOf(
      strings().basicLatinAlphabet().ofLengthBetween(0, 30),
      strings().betweenCodePoints(0, 0x10FFFF).ofLengthBetween(0, 12).map(PlanGen::withoutSurrogates),
      Generate.pick(List.of("", "\n", "a\nb\n", "### /etc/x\n", "\"quoted\" \\ back", "\u0000\u001f\t", "é€😀")));

  /** A shell word: any text but NUL, which no argv can carry. */
  static final Gen<String> WORD = TEXT.map(t -> t.replace("\u0000", ""));

  private static String withoutSurrogates(String s) {
    int[] cps = s.codePoints().filter(cp -> cp < 0xD800 || cp > 0xDFFF).toArray();
    return new String(cps, 0, cps.length);
  }

  static final Gen<byte[]> BYTES = Generate.byteArrays(Generate.range(0, 40), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));

  static final Gen<String> PATH = TEXT.map(t -> "/" + t);

  public static Gen<HostPlan> plans() {
    return rs -> plan(rs);
  }

  private static <T> List<T> listOf(RandomnessSource rs, Gen<T> gen, int max) {
    int n = Generate.range(0, max).generate(rs);
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(gen.generate(rs));
    }
    return out;
  }

  private static HostPlan plan(RandomnessSource rs) {
    int n = Generate.range(0, 6).generate(rs);
    List<Step> steps = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "t" + i + "[" + TEXT.generate(rs) + "]";
      steps.add(step(rs, i + 1, id, ids));
      ids.add(id);
    }
    List<Problem> problems = listOf(rs, PlanGen::problem, 3);
    return new HostPlan(TEXT.generate(rs), steps, problems, Generate.booleans().generate(rs), Generate.booleans().generate(rs));
  }

  private static Problem problem(RandomnessSource rs) {
    Mark mark = new Mark(TEXT.generate(rs), Generate.range(0, 9999).generate(rs), Generate.range(0, 200).generate(rs));
    String fix = Generate.booleans().generate(rs) ? null : TEXT.generate(rs);
    return new Problem(mark, Generate.enumValues(Problem.Severity.class).generate(rs), TEXT.generate(rs), fix);
  }

  private static Step step(RandomnessSource rs, int index, String id, List<String> earlier) {
    List<String> deps = new ArrayList<>();
    List<String> notifiers = new ArrayList<>();
    for (String e : earlier) {
      int pick = Generate.range(0, 3).generate(rs);
      if (pick == 1) {
        deps.add(e);
      } else if (pick == 2) {
        deps.add(e);
        notifiers.add(e);
      }
    }
    Map<Fact, String> facts = new LinkedHashMap<>();
    for (int i = Generate.range(0, 3).generate(rs); i > 0; i--) {
      Fact f = Generate.booleans().generate(rs) ? Fact.file(PATH.generate(rs)) : Fact.command(TEXT.generate(rs));
      facts.put(f, FactResult.digest(result(rs)));
    }
    return new Step(index, id, "t" + index, Generate.booleans().generate(rs), TEXT.generate(rs),
        Duration.ofMillis(Generate.longRange(0, 86_400_000L).generate(rs)), change(rs), deps, notifiers, facts);
  }

  static Change change(RandomnessSource rs) {
    Map<String, FactResult> writes = new LinkedHashMap<>();
    for (int i = Generate.range(0, 2).generate(rs); i > 0; i--) {
      writes.put(PATH.generate(rs), result(rs));
    }
    TakesEffect when = switch (Generate.range(0, 2).generate(rs)) {
      case 0 -> TakesEffect.NOW;
      case 1 -> TakesEffect.AFTER_REBOOT;
      default -> TakesEffect.afterRestart(TEXT.generate(rs));
    };
    return new Change(Generate.enumValues(Action.class).generate(rs), TEXT.generate(rs), TEXT.generate(rs),
        TEXT.generate(rs), listOf(rs, PlanGen::command, 3), when, Generate.enumValues(Label.class).generate(rs),
        listOf(rs, TEXT, 2), listOf(rs, TEXT, 2), writes, Generate.booleans().generate(rs));
  }

  static Command command(RandomnessSource rs) {
    return switch (Generate.range(0, 2).generate(rs)) {
      case 0 -> {
        List<String> argv = listOf(rs, WORD, 4);
        yield Command.of(argv.isEmpty() ? List.of("true") : argv);
      }
      case 1 -> Command.writeFile("/" + WORD.generate(rs), BYTES.generate(rs),
          Generate.booleans().generate(rs) ? null : FactResult.sha256(BYTES.generate(rs)), null);
      default -> Command.shell(WORD.generate(rs));
    };
  }

  static FactResult result(RandomnessSource rs) {
    return switch (Generate.range(0, 3).generate(rs)) {
      case 0 -> new FactResult.Content(BYTES.generate(rs));
      case 1 -> new FactResult.Missing();
      case 2 -> new FactResult.Unreadable();
      default -> new FactResult.Output(Generate.range(0, 255).generate(rs), BYTES.generate(rs));
    };
  }
}

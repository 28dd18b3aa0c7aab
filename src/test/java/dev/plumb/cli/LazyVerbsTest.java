package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Only the verb a run names is built, and nothing a user sees depends on it. */
class LazyVerbsTest {
  private static String out(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "80", args);
    return out + err.toString();
  }

  @Test
  void verbNames_areTheNamesTheirCommandsDeclare() {
    for (Map.Entry<String, Class<?>> v : Main.VERBS.entrySet()) {
      assertThat(v.getValue().getAnnotation(CommandLine.Command.class).name()).isEqualTo(v.getKey());
    }
  }

  @Test
  void aNamedVerb_isTheOnlyOneBuilt_butHelpAndCompletionAndUnknownWordsBuildThemAll() {
    assertThat(Main.verbs("check", "-i", "inv.yml", "play.yml")).containsExactly(CheckCommand.class);
    assertThat(Main.verbs("help", "check")).hasSize(Main.VERBS.size());
    assertThat(Main.verbs("completion", "bash")).hasSize(Main.VERBS.size());
    assertThat(Main.verbs("chek")).hasSize(Main.VERBS.size());
    assertThat(Main.verbs("--help")).hasSize(Main.VERBS.size());
    assertThat(Main.verbs()).hasSize(Main.VERBS.size());
    assertThat(Main.verbs("--version")).isEmpty();
    assertThat(Main.verbs("-V")).isEmpty();
    assertThat(Main.verbs("--version", "check")).hasSize(Main.VERBS.size());
  }

  @Test
  void theVersionAlone_isPrintedWithoutBuildingAnyVerb() {
    String expected = "plumb " + Main.VERSION + " (Java " + Runtime.version() + ")" + System.lineSeparator();
    assertThat(out("--version")).isEqualTo(expected);
    assertThat(out("-V")).isEqualTo(expected);
  }

  @Test
  void sshIsWarmedUp_forTheVerbsThatConnect_andNotForHelpVersionOrOtherVerbs() {
    for (String verb : new String[] {"plan", "check", "apply", "facts", "drift", "watch"}) {
      assertThat(Main.connects(verb, "-i", "inv.yml", "play.yml")).as(verb).isTrue();
      assertThat(Main.connects(verb, "--help")).as(verb).isFalse();
      assertThat(Main.connects(verb, "-h")).as(verb).isFalse();
    }
    for (String verb : new String[] {"lint", "inventory", "modules", "log", "show", "pull", "completion", "help", "--version", "-V"}) {
      assertThat(Main.connects(verb, "play.yml")).as(verb).isFalse();
    }
    assertThat(Main.connects("plan", "--facts-from", "ledger", "play.yml")).isFalse();
    assertThat(Main.connects()).isFalse();
  }

  @Test
  void everyVerbsHelp_builtAlone_isItsHelpAmongAllVerbs() {
    for (String verb : Main.VERBS.keySet()) {
      if (!verb.equals("help")) {
        assertThat(out(verb, "--help")).as(verb).isEqualTo(out("help", verb)).contains("Usage: plumb " + verb);
      }
    }
  }

  @Test
  void topLevelHelp_listsEveryVerb() {
    String help = out("--help");
    Main.VERBS.keySet().forEach(v -> assertThat(help).contains("  " + v + " "));
  }

  @Test
  void aBadOptionOfANamedVerb_isReportedAsBefore() {
    assertThat(out("check", "--no-such-option", "play.yml")).contains("plumb: Unknown option: '--no-such-option'")
        .contains("Try 'plumb check --help'.");
  }
}

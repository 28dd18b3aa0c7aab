package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Help fits the terminal, wraps only where it must, keeps examples whole, and offers only options that act. */
class HelpTest {
  static final List<String> VERBS = List.of("plan", "check", "apply", "pull", "facts", "inventory", "lint", "modules",
      "log", "show", "completion");

  @TempDir Path dir;

  private static String help(String columns, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), columns, args);
    assertThat(exit).as(err.toString()).isZero();
    return out.toString();
  }

  private static List<String[]> everyHelp() {
    List<String[]> all = new ArrayList<>();
    all.add(new String[] {"--help"});
    VERBS.forEach(v -> all.add(new String[] {v, "--help"}));
    return all;
  }

  @Test
  void everyVerbsHelp_at80Columns_fitsAndBreaksProseOnlyWhereTheNextWordWouldNotFit() {
    for (String[] args : everyHelp()) {
      String text = help("80", args);
      String[] lines = text.split("\n");
      for (int i = 0; i < lines.length; i++) {
        assertThat(lines[i].length()).as(String.join(" ", args) + " line: " + lines[i]).isLessThanOrEqualTo(80);
        // Prose starts at column 0; a following prose line is a continuation: it may start only
        // where its first word did not fit on the line before (greedy wrapping, no break mid-phrase).
        if (i + 1 < lines.length && isProse(lines[i]) && isProse(lines[i + 1])) {
          String firstWord = lines[i + 1].split(" ", 2)[0];
          // (picocli keeps the space after a word with it, so a word fits when it and a space do.)
          assertThat(lines[i].length() + 1 + firstWord.length() + 1).as(String.join(" ", args)
              + ": a line broken early:\n" + lines[i] + "\n" + lines[i + 1]).isGreaterThan(80);
        }
      }
    }
  }

  private static boolean isProse(String line) {
    return !line.isEmpty() && !line.startsWith(" ") && !line.endsWith(":") && !line.startsWith("Usage:");
  }

  @Test
  void everyExample_isPrintedWholeOnItsOwnLine_at80Columns() {
    for (String verb : VERBS) {
      String text = help("80", verb, "--help");
      List<String> shown = Arrays.asList(text.split("\n"));
      String[] footer = new CommandLine(Main.VERBS.get(verb)).getCommandSpec().usageMessage().footer();
      long examples = Arrays.stream(footer).filter(l -> l.startsWith("  ")).peek(l ->
          assertThat(shown).as(verb + " --help keeps the example whole").contains(l)).count();
      assertThat(examples).as(verb + " has examples").isPositive();
    }
  }

  @Test
  void columns_widerTerminal_usesTheWidth() {
    String text = help("140", "apply", "--help");
    assertThat(text).containsPattern("(?m)^.{100,140}$");
    assertThat(help("80", "apply", "--help")).doesNotContainPattern("(?m)^.{81,}$");
  }

  @Test
  void reboot_isOfferedByApplyOnly() {
    assertThat(help("80", "apply", "--help")).contains("--reboot=POLICY");
    for (String verb : List.of("plan", "check", "lint", "facts")) {
      assertThat(help("80", verb, "--help")).as(verb).doesNotContain("--reboot");
    }
    Cli plan = Cli.run("plan", "--reboot", "if-needed", "play.yml");
    assertThat(plan.exit()).isEqualTo(1);
    assertThat(plan.err()).contains("Unknown option", "'--reboot'");
  }

  @Test
  void lintAndFacts_offerNoOptionThatDoesNothingForThem() {
    String lint = help("80", "lint", "--help");
    assertThat(lint).contains("--inventory", "--limit", "--extra-vars", "--tags", "--vault-password-file")
        .doesNotContain("--forks", "--format", "--no-color", "--ask-become-pass", "--accept-new-host-keys",
            "--ask-key-passphrase", "--record");
    assertThat(help("80", "facts", "--help")).contains("--forks", "-v ").doesNotContain("--format", "--no-color", "--record");
  }

  @Test
  void completionBash_isValidBash_andCompletesVerbs() throws Exception {
    Cli bash = Cli.run("completion", "bash");
    assertThat(bash.exit()).as(bash.toString()).isZero();
    Path script = Files.writeString(dir.resolve("plumb.bash"), bash.out());
    assertThat(run("bash", "-n", script.toString())).isEqualTo("");
    String completed = run("bash", "-c", "source " + script + "; COMP_WORDS=(plumb ap); COMP_CWORD=1; COMP_LINE='plumb ap';"
        + " COMP_POINT=8; _complete_plumb; echo \"${COMPREPLY[@]}\"");
    assertThat(completed.strip()).isEqualTo("apply");
    String options = run("bash", "-c", "source " + script + "; COMP_WORDS=(plumb apply --reb); COMP_CWORD=2;"
        + " COMP_LINE='plumb apply --reb'; COMP_POINT=17; _complete_plumb; echo \"${COMPREPLY[@]}\"");
    assertThat(options).contains("--reboot");
  }

  @Test
  void completionZsh_loadsTheBashScriptThroughBashcompinit() {
    Cli zsh = Cli.run("completion", "zsh");
    assertThat(zsh.exit()).as(zsh.toString()).isZero();
    assertThat(zsh.out()).startsWith("# zsh completion for plumb").contains("bashcompinit && bashcompinit", "_complete_plumb");
    Cli fish = Cli.run("completion", "fish");
    assertThat(fish.exit()).isEqualTo(1);
    assertThat(fish.err()).contains("bash or zsh");
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}

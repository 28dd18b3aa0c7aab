package dev.plumb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.FactResult;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every module case under src/test/resources/modules (see {@link ModuleCase}): adding a case is
 * adding a file. The change's action, commands, diff, writes and blockers are always compared
 * (absent means none); notes, takes_effect, reboot_pending and label when the case gives them.
 *
 * <p>A command is an argv list, except the guarded write and delete helpers, written
 * {@code {write: PATH, mode: MODE}} and {@code {delete: PATH}}: their fixed script is not
 * repeated in every case, and what they carry is checked here instead: the content sent is the
 * one the change predicts for that path, and the guard is the sha256 of the content the facts
 * gave (or "absent").
 */
class ModuleCasesTest {

  static List<ModuleCase> cases() {
    return ModuleCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void moduleCase_factsIn_changeOut(ModuleCase c) {
    Change change = c.change();
    Map<String, Object> e = c.expect();
    assertThat(change.action().jsonName()).as("action").isEqualTo(e.get("action"));
    assertThat(commands(c, change)).as("commands").isEqualTo(e.getOrDefault("commands", List.of()));
    assertThat(change.diff()).as("diff").isEqualTo(e.getOrDefault("diff", ""));
    Map<String, String> writes = new LinkedHashMap<>();
    change.writes().forEach((path, r) ->
        writes.put(path, r instanceof FactResult.Content t ? t.text() : null));
    assertThat(writes).as("writes").isEqualTo(e.getOrDefault("writes", Map.of()));
    assertThat(change.blockers()).as("blockers").isEqualTo(e.getOrDefault("blockers", List.of()));
    if (e.containsKey("notes")) {
      assertThat(change.notes()).as("notes").isEqualTo(e.get("notes"));
    }
    if (e.containsKey("takes_effect")) {
      assertThat(change.takesEffect().describe()).as("takes_effect").isEqualTo(e.get("takes_effect"));
    }
    if (e.containsKey("reboot_pending")) {
      assertThat(change.rebootPending()).as("reboot_pending").isEqualTo(e.get("reboot_pending"));
    }
    if (e.containsKey("label")) {
      assertThat(change.label().word()).as("label").isEqualTo(e.get("label"));
    }
  }

  /** The change's commands as a case writes them, checking what the write helpers carry. */
  static List<Object> commands(ModuleCase c, Change change) {
    List<Object> out = new ArrayList<>();
    for (Command cmd : change.commands()) {
      List<String> argv = cmd.argv();
      String helper = argv.size() > 4 ? argv.get(3) : "";
      if (helper.equals("plumb-write") || helper.equals("plumb-delete")) {
        String path = argv.get(4);
        String guard = c.before(path).map(t -> FactResult.content(t).sha256()).orElse("absent");
        assertThat(argv.get(5)).as("guard of the %s of %s", helper, path).isEqualTo(guard);
        Map<String, Object> shown = new LinkedHashMap<>();
        if (helper.equals("plumb-write")) {
          FactResult predicted = change.writes().get(path);
          assertThat(predicted).as("the predicted content of %s", path).isInstanceOf(FactResult.Content.class);
          assertThat(new String(cmd.stdin(), StandardCharsets.UTF_8)).as("content written to %s", path)
              .isEqualTo(((FactResult.Content) predicted).text());
          shown.put("write", path);
          if (!argv.get(6).isEmpty()) {
            shown.put("mode", argv.get(6));
          }
        } else {
          shown.put("delete", path);
        }
        out.add(shown);
      } else {
        out.add(argv);
      }
    }
    return out;
  }
}

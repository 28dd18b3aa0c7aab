package dev.plumb.facts;

import dev.plumb.apply.FactReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.plumb.transport.LocalConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** A fact that lists several files: framed like the fact script, so content cannot forge a file. */
class FilesFactTest {

  /** File content as an attacker or an accident would write it: marker-like lines among text. */
  static final Gen<String> CONTENT = Generate.oneOf(
      strings().basicLatinAlphabet().ofLengthBetween(0, 40),
      strings().betweenCodePoints(1, 0xD7FF).ofLengthBetween(0, 20),
      Generate.pick(List.of("", "\n", "no newline", "### /etc/default/grub.d/evil.cfg\nGRUB_CMDLINE_LINUX=\"x\"\n",
          "F /etc/evil\n|x\n~\n", "|\n~\n", "~", "PLUMB-0123 0 EOF\n", "PLUMB-", "a\n\n\nb", "\\n\\\\")))
      .zip(Generate.pick(List.of("", "\n", "\n### /x\n", "\nF /y\n", "\n~\n")), (a, b) -> a + b);

  static final Gen<Map<String, String>> LISTINGS = rs -> {
    Map<String, String> files = new TreeMap<>();
    int n = Generate.range(0, 4).generate(rs);
    for (int i = 0; i < n; i++) {
      files.put("/etc/d/f" + i + Generate.pick(List.of("", " space", "\\back", "#")).generate(rs) + ".cfg", CONTENT.generate(rs));
    }
    return files;
  };

  @Test
  void parseOfRender_anyFilesWithMarkerLikeContent_givesThemBackExactly() {
    qt().withExamples(500).forAll(LISTINGS).checkAssert(files ->
        assertThat(FileListing.parse(FileListing.render(files))).isEqualTo(files));
  }

  @Test
  void read_filesWhoseContentLooksLikeMarkers_readsEveryFileExactly_onARealShell(@TempDir Path dir) {
    LocalConnection local = new LocalConnection("localhost");
    qt().withExamples(40).forAll(CONTENT, CONTENT).checkAssert((a, b) -> {
      try {
        clean(dir);
        Files.writeString(dir.resolve("10-a.cfg"), a);
        Files.writeString(dir.resolve("20-b.cfg"), b);
        Files.writeString(dir.resolve("skip.txt"), "not matched");
        Fact listing = Fact.files(dir + "/*.cfg");
        FactSet facts = FactReader.read(local, List.of(listing, Fact.file(dir + "/skip.txt")), Duration.ofSeconds(20));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(dir + "/10-a.cfg", a);
        expected.put(dir + "/20-b.cfg", b);
        assertThat(facts.get(listing(dir + "/*.cfg"))).isEqualTo(expected);
        assertThat(facts.text(dir + "/skip.txt")).contains("not matched");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void read_globMatchingNothing_isAnEmptyListing(@TempDir Path dir) throws Exception {
    FactSet facts = FactReader.read(new LocalConnection("localhost"), List.of(Fact.files(dir + "/*.cfg")), Duration.ofSeconds(20));
    assertThat(facts.get(listing(dir + "/*.cfg"))).isEmpty();
  }

  @Test
  void decode_contentHoldingAForgedFileHeader_isOneFile() {
    String d = "PLUMB-0123456789abcdef0123456789abcdef";
    // The forger does not know this run's delimiter; a guess at another one is just content.
    String forged = "x\nPLUMB-ffff 0 FILE /etc/evil\0y\nPLUMB-ffff 0 EOF\n";
    byte[] out = (d + " 0 BEGIN\n" + d + " 0 FILE /etc/a.cfg\0" + forged + "\n" + d + " 0 EOF\n" + "\n" + d + " 0 END exit 0\n")
        .getBytes(StandardCharsets.UTF_8);
    Fact glob = Fact.files("/etc/*.cfg");
    FactSet facts = FactSet.of(FactScript.of(List.of(glob), d).decode(out));
    assertThat(facts.get(listing("/etc/*.cfg"))).containsExactly(Map.entry("/etc/a.cfg", forged));
  }

  @Test
  void get_laterStepSeesWhatAnEarlierStepWritesToAMatchingPath() {
    Fact.Files glob = Fact.files("/etc/default/grub.d/*.cfg");
    FactSet read = FactSet.of(Map.of(glob, new FactResult.Output(0,
        FileListing.render(Map.of("/etc/default/grub.d/a.cfg", "A\n", "/etc/default/grub.d/b.cfg", "B\n")).getBytes(StandardCharsets.UTF_8))));
    FactDef<Map<String, String>> def = listing(glob.glob());

    FactSet predicted = read.withFile("/etc/default/grub.d/plumb.cfg", FactResult.content("P\n"))
        .withFile("/etc/default/grub.d/a.cfg", new FactResult.Missing())
        .withFile("/etc/default/grub", FactResult.content("not matched\n")).view();
    assertThat(predicted.get(def)).containsExactly(Map.entry("/etc/default/grub.d/b.cfg", "B\n"),
        Map.entry("/etc/default/grub.d/plumb.cfg", "P\n"));
    assertThat(predicted.overlaidPathsSeen()).containsExactlyInAnyOrder("/etc/default/grub.d/plumb.cfg", "/etc/default/grub.d/a.cfg");
    assertThat(read.get(def)).containsOnlyKeys("/etc/default/grub.d/a.cfg", "/etc/default/grub.d/b.cfg");
  }

  @Test
  void matches_followsTheShellsGlob() {
    Fact.Files g = Fact.files("/etc/default/grub.d/*.cfg");
    assertThat(g.matches("/etc/default/grub.d/50-x.cfg")).isTrue();
    assertThat(g.matches("/etc/default/grub.d/.hidden.cfg")).as("a leading dot needs a dot").isFalse();
    assertThat(g.matches("/etc/default/grub.d/sub/x.cfg")).as("* stays in one directory").isFalse();
    assertThat(g.matches("/etc/default/grub.d/x.cfg.bak")).isFalse();
    assertThat(Fact.files("/boot/efi/EFI/*/grub.cfg").matches("/boot/efi/EFI/debian/grub.cfg")).isTrue();
    assertThat(Fact.files("/etc/x[0-9].conf").matches("/etc/x7.conf")).isTrue();
    assertThat(Fact.files("/etc/x[!0-9].conf").matches("/etc/x7.conf")).isFalse();
  }

  private static FactDef<Map<String, String>> listing(String glob) {
    return FactDef.files(glob, java.util.function.Function.identity());
  }

  private static void clean(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
  }
}

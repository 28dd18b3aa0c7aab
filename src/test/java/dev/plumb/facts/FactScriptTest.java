package dev.plumb.facts;

import dev.plumb.apply.FactReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.plumb.Gens;
import dev.plumb.transport.LocalConnection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class FactScriptTest {
  private static final String D = "PLUMB-0123456789abcdef0123456789abcdef";

  /** What the script prints for a fact whose output is {@code body} with status {@code status}. */
  private static void frame(ByteArrayOutputStream out, int i, byte[] body, String status) {
    out.writeBytes((D + " " + i + " BEGIN\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    out.writeBytes(("\n" + D + " " + i + " END " + status + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** Any bytes, text over the broad alphabet, and outputs that imitate the script's own framing. */
  static Gen<byte[]> awkwardOutput() {
    Gen<byte[]> tricky = Generate.pick(List.of(
        "", "\n", "no newline", "\0\0\0", D, D + " 0 END ok", "\n" + D.substring(0, 20) + " 0 END ",
        "PLUMB-", "line\n" + D + " 1 BEGIN\n", D + " 0 END exit 1\n", "\n" + D + " 0 BEGIN"))
        .map(x -> x.getBytes(StandardCharsets.UTF_8));
    Gen<byte[]> framedText = Gens.joined(Generate.pick(List.of(D, " 0 END ok", " 1 BEGIN", "\n")).mix(Gens.text(5), 50), 0, 12, "")
        .map(x -> x.getBytes(StandardCharsets.UTF_8));
    // The delimiter is a fresh random nonce per read, so an output never holds a whole end line.
    java.util.regex.Pattern endLine = java.util.regex.Pattern.compile("\n" + D + " \\d+ END");
    return Generate.oneOf(Gens.bytes(300), tricky, framedText)
        .assuming(b -> !endLine.matcher(new String(b, StandardCharsets.ISO_8859_1)).find())
        .describedAs(b -> Gens.show(new String(b, StandardCharsets.UTF_8)));
  }

  @Test
  void decode_anyOutput_givesItBackExactly() {
    qt().withExamples(500).forAll(lists().of(awkwardOutput()).ofSizeBetween(0, 5)).checkAssert(bodies -> {
      List<Fact> facts = new ArrayList<>();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 0; i < bodies.size(); i++) {
        facts.add(i % 2 == 0 ? Fact.file("/f" + i) : Fact.command("echo " + i));
        frame(out, i, bodies.get(i), i % 2 == 0 ? "ok" : "exit " + i);
      }
      Map<Fact, FactResult> decoded = FactScript.of(facts, D).decode(out.toByteArray());
      for (int i = 0; i < bodies.size(); i++) {
        FactResult r = decoded.get(facts.get(i));
        byte[] got = r instanceof FactResult.Content c ? c.bytes() : ((FactResult.Output) r).stdout();
        assertThat(got).isEqualTo(bodies.get(i));
      }
    });
  }

  @Test
  void decode_truncatedOutput_isAnErrorNotAnEmptyFact() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame(out, 0, "abc".getBytes(StandardCharsets.UTF_8), "ok");
    byte[] cut = java.util.Arrays.copyOf(out.toByteArray(), out.size() - 5);
    FactScript script = FactScript.of(List.of(Fact.file("/a")), D);
    assertThatThrownBy(() -> script.decode(cut)).hasMessageContaining("truncated");
  }

  @Test
  void of_duplicateFacts_areReadOnce() {
    FactScript script = FactScript.of(List.of(Fact.file("/a"), Fact.command("uname"), Fact.file("/a")), D);
    assertThat(script.facts()).containsExactly(Fact.file("/a"), Fact.command("uname"));
  }

  @Test
  void read_realShell_distinguishesMissingEmptyUnreadableAndCommands(@TempDir Path dir) throws Exception {
    Path empty = Files.createFile(dir.resolve("empty"));
    Path text = Files.writeString(dir.resolve("it's a file"), "no trailing newline");
    LocalConnection local = new LocalConnection("localhost");
    FactSet facts = FactReader.read(local, List.of(
        Fact.file(empty.toString()), Fact.file(text.toString()), Fact.file(dir.resolve("nope").toString()),
        Fact.file(dir.toString()), Fact.command("printf 'a\\nb'; exit 3"), Fact.command("cat; echo read-nothing")),
        Duration.ofSeconds(20));
    assertThat(facts.get(Fact.file(empty.toString()))).isEqualTo(new FactResult.Content(new byte[0]));
    assertThat(facts.text(text.toString())).contains("no trailing newline");
    assertThat(facts.get(Fact.file(dir.resolve("nope").toString()))).isInstanceOf(FactResult.Missing.class);
    assertThat(facts.get(Fact.file(dir.toString()))).isInstanceOf(FactResult.Unreadable.class);
    assertThat(facts.command("printf 'a\\nb'; exit 3")).isEqualTo(FactResult.output(3, "a\nb"));
    assertThat(facts.command("cat; echo read-nothing").text()).isEqualTo("read-nothing\n");
    assertThat(local.execCount()).as("one round trip").isEqualTo(1);
  }

  @Test
  void read_realShell_anyFileContentSurvives() {
    qt().withExamples(25).forAll(Gens.bytes(2000)).checkAssert(content -> inTempDir(dir -> {
      Path f = Files.write(dir.resolve("f"), content);
      FactSet facts = FactReader.read(new LocalConnection("localhost"), List.of(Fact.file(f.toString())), Duration.ofSeconds(20));
      assertThat(facts.file(f.toString()).orElseThrow().bytes()).isEqualTo(content);
    }));
  }

  /** What a property does with a temporary directory, removed after it. */
  interface InDir {
    void run(Path dir) throws Exception;
  }

  private static void inTempDir(InDir body) {
    try {
      Path dir = Files.createTempDirectory("plumb-facts");
      try {
        body.run(dir);
      } finally {
        try (var s = Files.walk(dir)) {
          s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void read_realShell_manyFilesInOneBatch_eachReadBackExactly() {
    // Three or more files go in one batch (stat + cat), split by their sizes: any content, the
    // empty file and the missing one included, comes back byte for byte, in one round trip.
    qt().withExamples(15).forAll(lists().of(awkwardOutput()).ofSizeBetween(3, 6)).checkAssert(contents -> inTempDir(dir -> {
      List<Fact> facts = new ArrayList<>();
      for (int i = 0; i < contents.size(); i++) {
        facts.add(Fact.file(Files.write(dir.resolve("f" + i), contents.get(i)).toString()));
      }
      facts.add(Fact.file(dir.resolve("missing").toString()));
      facts.add(Fact.command("echo between"));
      LocalConnection local = new LocalConnection("localhost");
      FactSet read = FactReader.read(local, facts, Duration.ofSeconds(20));
      for (int i = 0; i < contents.size(); i++) {
        assertThat(read.get(facts.get(i))).isEqualTo(new FactResult.Content(contents.get(i)));
      }
      assertThat(read.get(facts.get(contents.size()))).isInstanceOf(FactResult.Missing.class);
      assertThat(read.command("echo between").text()).isEqualTo("between\n");
      assertThat(local.execCount()).isEqualTo(1);
    }));
  }

  @Test
  void script_manyFiles_areReadByOneStatAndOneCat() {
    String script = FactScript.of(List.of(Fact.file("/a"), Fact.file("/b"), Fact.file("/c")), D).script();
    assertThat(script.split("stat -L", -1)).hasSize(2);
    assertThat(FactScript.of(List.of(Fact.file("/a"), Fact.file("/b")), D).script()).doesNotContain("stat");
  }

  @Test
  void decode_batchWhoseSizesDisagreeWithItsBytes_isRefusedAsRaced() {
    FactScript script = FactScript.of(List.of(Fact.file("/a"), Fact.file("/b"), Fact.file("/c")), D);
    String grown = D + " B BEGIN 0 3 1 2\nabcde+\n" + D + " B END 0\n";
    assertThatThrownBy(() -> script.decode(grown.getBytes(StandardCharsets.UTF_8))).isInstanceOf(FactScript.Raced.class);
    String failed = D + " B BEGIN 0 3 1 2\nabcde\n" + D + " B END 1\n";
    assertThatThrownBy(() -> script.decode(failed.getBytes(StandardCharsets.UTF_8))).isInstanceOf(FactScript.Raced.class);
  }

  @Test
  void read_aFileChangedWhileRead_isReadAgainOnce() throws Exception {
    // A host whose first answer has a batch that does not add up (a file written meanwhile).
    List<Fact> facts = List.of(Fact.file("/a"), Fact.file("/b"), Fact.file("/c"));
    int[] execs = {0};
    dev.plumb.transport.Connection host = new dev.plumb.transport.Connection() {
      @Override
      public String host() {
        return "h";
      }

      @Override
      public dev.plumb.transport.ExecResult exec(String command, byte[] stdin, Duration timeout) {
        String d = new String(stdin, StandardCharsets.UTF_8).lines().findFirst().orElseThrow().substring(2);
        String extra = execs[0]++ == 0 ? "X" : "";
        String out = d + " B BEGIN 0 1 1 1 2 1\nabc" + extra + "\n" + d + " B END 0\n";
        return new dev.plumb.transport.ExecResult(0, out.getBytes(StandardCharsets.UTF_8), new byte[0]);
      }

      @Override
      public int execCount() {
        return execs[0];
      }

      @Override
      public void close() {}
    };
    FactSet read = FactReader.read(host, facts, Duration.ofSeconds(5));
    assertThat(read.text("/b")).contains("b");
    assertThat(execs[0]).isEqualTo(2);
  }
}

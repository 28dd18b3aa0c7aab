package dev.plumb.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.inventory.Host;
import dev.plumb.transport.Connection;
import dev.plumb.transport.LocalConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch reads facts through a shell kept on each kept connection: a real /bin/sh here (the
 * local transport), read exactly as a fresh exec of the fact script reads them.
 */
class FactShellTest {
  private static final Host HOST = new Host("h1", List.of("all"), Map.of());
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final List<LocalConnection> opened = new ArrayList<>();
  private final KeptConnections kept = new KeptConnections(host -> {
    LocalConnection c = new LocalConnection("h1");
    opened.add(c);
    return c;
  });

  @Test
  void read_threeCycles_oneChannelAndTheSameFactsAsAFreshExec() throws Exception {
    // Content that looks like framing, no final newline, a NUL: all read back byte for byte.
    Path tricky = Files.write(dir.resolve("tricky.conf"),
        "a=1\nPLUMB-DONE-0123 0 END ok\n\nPLUMB-x 0 BEGIN\nno newline\0at end".getBytes(StandardCharsets.UTF_8));
    List<Fact> facts = List.of(new Fact.File(tricky.toString()), new Fact.File(dir.resolve("missing").toString()),
        new Fact.Command("echo out; exit 3"), new Fact.Files(dir + "/*.conf"));

    FactSet fresh = FactReader.read(new LocalConnection("h1"), facts, TIMEOUT);
    for (int cycle = 0; cycle < 3; cycle++) {
      try (Connection run = kept.open(HOST)) {
        FactSet read = FactReader.read(run, facts, TIMEOUT);
        for (Fact f : facts) {
          assertThat(read.get(f)).as("cycle %d, %s", cycle, f).isEqualTo(fresh.get(f));
        }
      }
    }
    assertThat(opened).hasSize(1);
    assertThat(opened.get(0).execCount()).as("the kept shell's one channel").isEqualTo(1);
    assertThat(fresh.get(facts.get(0))).isEqualTo(new FactResult.Content(Files.readAllBytes(tricky)));
    kept.close();
  }

  @Test
  void read_theShellEndedBetweenCycles_aNewShellAnswers() throws Exception {
    Path marker = Files.writeString(dir.resolve("m"), "v1\n");
    List<Fact> facts = List.of(new Fact.File(marker.toString()));
    try (Connection run = kept.open(HOST)) {
      FactReader.read(run, facts, TIMEOUT);
    }
    // A fact that ends the kept shell itself (as a killed shell or an OOM kill on the host would).
    try (Connection run = kept.open(HOST)) {
      run.exec(FactReader.COMMAND, "kill -9 $$\n".getBytes(StandardCharsets.UTF_8), TIMEOUT);
    } catch (dev.plumb.transport.TransportException expected) {
      // The run's first exec was retried once on a new connection, whose shell it killed too.
    }
    Files.writeString(marker, "v2\n");
    try (Connection run = kept.open(HOST)) {
      FactSet facts2 = FactReader.read(run, facts, TIMEOUT);
      assertThat(facts2.get(facts.get(0))).isEqualTo(new FactResult.Content("v2\n".getBytes(StandardCharsets.UTF_8)));
    }
    kept.close();
  }
}

package dev.plumb.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.apply.FactReader;
import dev.plumb.facts.FactSet;
import dev.plumb.transport.LocalConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lease over the local connection (pull mode's), with its lock in a temp directory. */
class LeaseTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir Path dir;

  private final Lease.Holder first = new Lease.Holder("run-1", "ctl-a", 101, Instant.parse("2026-11-29T20:00:00Z"));
  private final Lease.Holder second = new Lease.Holder("run-2", "ctl-b", 202, Instant.parse("2026-11-29T20:01:00Z"));

  @Test
  void acquire_whileAnotherHoldsIt_isBusyAndNamesTheHolder_thenFreeOnceReleased() throws Exception {
    LocalConnection host = new LocalConnection("localhost");
    Lease.Attempt a = Lease.acquire(host, first, WAIT, dir.toString());
    assertThat(a).isInstanceOf(Lease.Attempt.Acquired.class);
    assertThat(((Lease.Attempt.Acquired) a).generation()).as("taken once since boot").isEqualTo(1);
    assertThat(Files.readString(dir.resolve("lease.holder"))).isEqualTo(first.line() + "\n");

    Lease.Attempt b = Lease.acquire(host, second, WAIT, dir.toString());
    assertThat(b).isInstanceOf(Lease.Attempt.Busy.class);
    assertThat(((Lease.Attempt.Busy) b).describe()).isEqualTo("run run-1 from ctl-a (pid 101) since 2026-11-29T20:00:00Z");

    ((Lease.Attempt.Acquired) a).lease().close();
    assertThat(dir.resolve("lease.holder")).as("the holder file goes with the lease").doesNotExist();
    Lease.Attempt c = Lease.acquire(host, second, WAIT, dir.toString());
    assertThat(c).isInstanceOf(Lease.Attempt.Acquired.class);
    assertThat(((Lease.Attempt.Acquired) c).generation()).as("a busy attempt does not count").isEqualTo(2);
    ((Lease.Attempt.Acquired) c).lease().close();
  }

  @Test
  void probe_seesTheHolderOnlyWhileTheLeaseIsHeld_andDoesNotTakeIt() throws Exception {
    LocalConnection host = new LocalConnection("localhost");
    assertThat(probe(host)).isEmpty();
    try (Lease lease = ((Lease.Attempt.Acquired) Lease.acquire(host, first, WAIT, dir.toString())).lease()) {
      assertThat(probe(host)).contains("run run-1 from ctl-a (pid 101) since 2026-11-29T20:00:00Z");
    }
    // A holder file left by a holder that was killed before removing it: the lock is free, so nobody holds it.
    Files.writeString(dir.resolve("lease.holder"), second.line() + "\n");
    assertThat(probe(host)).isEmpty();
    Lease.Attempt again = Lease.acquire(host, first, WAIT, dir.toString());
    assertThat(again).isInstanceOf(Lease.Attempt.Acquired.class);
    ((Lease.Attempt.Acquired) again).lease().close();
  }

  @Test
  void holderEndingWithoutClose_stdinClosedByTheDeadController_releasesTheLock() throws Exception {
    // What a killed plumb leaves: the holding process sees EOF on stdin. Run the script by hand
    // in a process of its own and close its stdin without any goodbye.
    Process holder = new ProcessBuilder("/bin/sh", "-c", Lease.script(first, dir.toString())).start();
    assertThat(new String(holder.getInputStream().readNBytes(7))).isEqualTo("HELD 1\n");
    assertThat(Lease.acquire(new LocalConnection("localhost"), second, WAIT, dir.toString()))
        .isInstanceOf(Lease.Attempt.Busy.class);
    holder.getOutputStream().close();
    assertThat(holder.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    Lease.Attempt after = Lease.acquire(new LocalConnection("localhost"), second, WAIT, dir.toString());
    assertThat(after).isInstanceOf(Lease.Attempt.Acquired.class);
    ((Lease.Attempt.Acquired) after).lease().close();
  }

  @Test
  void holderLine_roundTrips_andOtherTextIsShownAsIs() {
    assertThat(Lease.Holder.parse(first.line())).contains(first);
    assertThat(Lease.describeHolder("something else")).isEqualTo("something else");
    assertThat(Lease.describeHolder("")).isEqualTo("an unknown holder");
    assertThat(Lease.Holder.newRunId(Instant.parse("2026-11-29T20:00:00Z"))).matches("20261129T200000Z-[0-9a-f]{4}");
  }

  private java.util.Optional<String> probe(LocalConnection host) throws Exception {
    FactSet facts = FactReader.read(host, List.of(Lease.probe(dir.toString())), WAIT);
    return Lease.heldBy(facts.command(((dev.plumb.facts.Fact.Command) Lease.probe(dir.toString())).script()));
  }
}

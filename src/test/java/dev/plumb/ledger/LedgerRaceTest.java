package dev.plumb.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs recording at the same moment (two operators, a schedule and a person) all land: compare and swap, retried. */
class LedgerRaceTest {
  @TempDir Path dir;

  @Test
  void record_fromThreeWritersAtOnce_everyRecordLandsAndNoneIsLost() throws Exception {
    Git.init().setDirectory(dir.toFile()).call().close();
    int writers = 3;
    int each = 5;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(pool.submit(() -> {
          start.await();
          // Each writer its own Ledger (its own Repository), as two plumb processes would have.
          for (int i = 0; i < each; i++) {
            try (Ledger ledger = Ledger.find(dir).orElseThrow()) {
              ledger.record("run " + writer + "-" + i,
                  Map.of("runs/" + writer + "-" + i + ".json", "{}".getBytes(StandardCharsets.UTF_8)), Instant.now());
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    try (Ledger ledger = Ledger.find(dir).orElseThrow(); Git git = Git.open(dir.toFile())) {
      for (int w = 0; w < writers; w++) {
        for (int i = 0; i < each; i++) {
          assertThat(ledger.read("runs/" + w + "-" + i + ".json")).as("run %d-%d", w, i).isPresent();
        }
      }
      int commits = 0;
      for (var c : git.log().add(git.getRepository().resolve(Ledger.REF)).call()) {
        commits++;
      }
      assertThat(commits).isEqualTo(writers * each);
    }
  }
}

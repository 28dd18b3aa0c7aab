package dev.plumb.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostRecordsTest {
  @TempDir Path dir;

  static Repository bare(Path p) throws Exception {
    Repository r = new FileRepositoryBuilder().setGitDir(p.toFile()).setBare().build();
    r.create(true);
    return r;
  }

  static Map<String, byte[]> files(String run) {
    return Map.of("run.json", run.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void push_eachHostOnItsOwnRef_andLatestReadsThemAll() throws Exception {
    try (Repository remote = bare(dir.resolve("remote.git")); Repository a = bare(dir.resolve("a"));
        Repository b = bare(dir.resolve("b"))) {
      String url = dir.resolve("remote.git").toString();
      HostRecords.push(a, url, "gpu01", "a1", files("{\"a\":1}"), Instant.now(), 10);
      HostRecords.push(b, url, "gpu02", "b1", files("{\"b\":1}"), Instant.now(), 10);
      ObjectId a2 = HostRecords.push(a, url, "gpu01", "a2", files("{\"a\":2}"), Instant.now(), 10);
      List<HostRecords.Record> latest = HostRecords.latest(remote);
      assertThat(latest).extracting(HostRecords.Record::host).containsExactly("gpu01", "gpu02");
      assertThat(latest.get(0).id()).isEqualTo(a2);
      assertThat(latest.get(0).file("run.json")).hasValue("{\"a\":2}");
      assertThat(latest.get(0).message()).isEqualTo("a2");
    }
  }

  @Test
  void push_remoteMovedByAnotherCache_rebuildsOnTheRemoteRecord() throws Exception {
    try (Repository remote = bare(dir.resolve("remote.git")); Repository a = bare(dir.resolve("a"));
        Repository wiped = bare(dir.resolve("wiped"))) {
      String url = dir.resolve("remote.git").toString();
      ObjectId first = HostRecords.push(a, url, "gpu01", "first", files("1"), Instant.now(), 10);
      // A cache that never saw "first" (wiped, reinstalled host): its compare and swap fails, then it
      // continues the chain from the remote's record instead of overwriting it.
      ObjectId second = HostRecords.push(wiped, url, "gpu01", "second", files("2"), Instant.now(), 10);
      try (RevWalk walk = new RevWalk(remote)) {
        assertThat(walk.parseCommit(second).getParent(0).getId()).isEqualTo(first);
      }
      assertThat(remote.exactRef("refs/plumb/hosts/gpu01").getObjectId()).isEqualTo(second);
    }
  }

  @Test
  void fetchAll_copiesEveryHostRef_toAController() throws Exception {
    try (Repository remote = bare(dir.resolve("remote.git")); Repository a = bare(dir.resolve("a"));
        Repository controller = bare(dir.resolve("controller"))) {
      String url = dir.resolve("remote.git").toString();
      HostRecords.push(a, url, "gpu01", "x", files("1"), Instant.now(), 10);
      HostRecords.push(a, url, "gpu02", "y", files("2"), Instant.now(), 10);
      HostRecords.fetchAll(controller, url, 10);
      assertThat(HostRecords.latest(controller)).extracting(HostRecords.Record::host).containsExactly("gpu01", "gpu02");
    }
  }

  @Test
  void ref_nameThatCannotBeARef_isRefused() {
    assertThatThrownBy(() -> HostRecords.ref("bad..name")).isInstanceOf(IllegalArgumentException.class);
  }
}

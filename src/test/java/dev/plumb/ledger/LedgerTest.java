package dev.plumb.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void record_twice_keepsEarlierFilesAndChainsCommits_withoutTouchingTheWorkTree() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      Files.writeString(dir.resolve("playbook.yml"), "- hosts: all\n");
      Path sub = Files.createDirectories(dir.resolve("playbooks"));
      try (Ledger ledger = Ledger.find(sub).orElseThrow()) {
        ObjectId first = ledger.record("check lab01", Map.of("hosts/lab01/facts.json", utf8("{}"), "runs/1.json", utf8("a")), Instant.EPOCH);
        ObjectId second = ledger.record("check lab02", Map.of("hosts/lab02/facts.json", utf8("{\"x\":1}")), Instant.EPOCH.plusSeconds(60));

        assertThat(ledger.read("hosts/lab01/facts.json")).contains(utf8("{}"));
        assertThat(ledger.read("hosts/lab02/facts.json")).contains(utf8("{\"x\":1}"));
        assertThat(ledger.read("runs/nope.json")).isEmpty();
        RevCommit tip = git.getRepository().parseCommit(second);
        assertThat(tip.getParent(0).getId()).isEqualTo(first);
        assertThat(tip.getFullMessage()).isEqualTo("check lab02\n");
      }
      assertThat(git.status().call().getUntracked()).containsExactly("playbook.yml");
      assertThat(git.getRepository().exactRef("refs/heads/main")).as("no branch is touched").isNull();
    }
  }
}

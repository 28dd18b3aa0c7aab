package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** watch --fetch: the checkout follows its upstream by fast-forward only. */
class UpstreamTest {
  @TempDir Path dir;
  private Path author;
  private Path clone;

  @BeforeEach
  void repositories() throws Exception {
    Path origin = dir.resolve("origin.git");
    Git.init().setBare(true).setDirectory(origin.toFile()).setInitialBranch("main").call().close();
    author = dir.resolve("author");
    try (Git git = Git.init().setDirectory(author.toFile()).setInitialBranch("main").call()) {
      git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(origin.toUri().toString())).call();
      commit(git, author, "one\n");
      git.push().setRemote("origin").add("main").call();
    }
    clone = dir.resolve("clone");
    Git.cloneRepository().setURI(origin.toUri().toString()).setDirectory(clone.toFile()).setBranch("main").call().close();
  }

  private static void commit(Git git, Path tree, String content) throws Exception {
    Files.writeString(tree.resolve("play.yml"), content);
    git.add().addFilepattern("play.yml").call();
    git.commit().setMessage(content.strip()).setSign(false).call();
  }

  private void push(String content) throws Exception {
    try (Git git = Git.open(author.toFile())) {
      commit(git, author, content);
      git.push().setRemote("origin").add("main").call();
    }
  }

  @Test
  void follow_upstreamMoved_fastForwardsTheCheckout() throws Exception {
    assertThat(Upstream.refusal(clone.resolve("play.yml"))).isEmpty();
    assertThat(Upstream.follow(clone.resolve("play.yml"))).as("nothing moved").isEmpty();
    push("two\n");
    assertThat(Upstream.follow(clone.resolve("play.yml"))).get().asString().startsWith("fast-forwarded main to origin/main (");
    assertThat(Files.readString(clone.resolve("play.yml"))).isEqualTo("two\n");
  }

  @Test
  void follow_localChanges_leftAloneAndReported() throws Exception {
    push("two\n");
    Files.writeString(clone.resolve("play.yml"), "mine\n");
    assertThat(Upstream.follow(clone.resolve("play.yml"))).get().asString()
        .startsWith("the checkout has local changes: not fast-forwarded to origin/main");
    assertThat(Files.readString(clone.resolve("play.yml"))).isEqualTo("mine\n");
  }

  @Test
  void follow_diverged_leftAloneAndReported() throws Exception {
    push("two\n");
    try (Git git = Git.open(clone.toFile())) {
      commit(git, clone, "local\n");
    }
    assertThat(Upstream.follow(clone.resolve("play.yml"))).get().asString()
        .startsWith("the checkout's branch main and origin/main have diverged");
    assertThat(Files.readString(clone.resolve("play.yml"))).isEqualTo("local\n");
  }

  @Test
  void refusal_noUpstream_saysHowToSetOne() throws Exception {
    Path alone = dir.resolve("alone");
    try (Git git = Git.init().setDirectory(alone.toFile()).setInitialBranch("main").call()) {
      commit(git, alone, "one\n");
    }
    assertThat(Upstream.refusal(alone.resolve("play.yml"))).get().asString()
        .contains("branch main has no upstream", "git branch --set-upstream-to=origin/main");
    assertThat(Upstream.refusal(dir.resolve("nowhere/play.yml"))).get().asString().contains("is not in a git repository");
  }

  @Test
  void watch_fetchWithoutUpstream_exit1BeforeAnyHost() throws Exception {
    Path alone = dir.resolve("alone");
    try (Git git = Git.init().setDirectory(alone.toFile()).setInitialBranch("main").call()) {
      commit(git, alone, "- hosts: localhost\n  resources: []\n");
    }
    Cli watch = Cli.run("watch", alone.resolve("play.yml").toString(), "--every", "1s", "--fetch");
    assertThat(watch.exit()).isEqualTo(1);
    assertThat(watch.err()).contains("has no upstream on a remote: --fetch has nothing to follow");
  }
}

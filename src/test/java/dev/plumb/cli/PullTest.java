package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.ledger.HostRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plumb pull} against a real git repository made with the git command line (bare origin,
 * commits signed with {@code ssh-keygen} keys through {@code git commit -S}), on the local
 * connection in a temp directory.
 */
class PullTest {
  @TempDir Path dir;
  Path origin;
  Path work;
  Path cache;
  Path target;

  @BeforeEach
  void setUp() throws Exception {
    origin = dir.resolve("origin.git");
    work = dir.resolve("work");
    cache = dir.resolve("cache");
    target = dir.resolve("host");
    Files.createDirectories(target);
    git(dir, "init", "-q", "--bare", "-b", "main", origin.toString());
    git(dir, "init", "-q", "-b", "main", work.toString());
    Files.writeString(work.resolve("inventory.yml"), """
        all:
          hosts:
            web1:
              ansible_host: 192.0.2.1
            web2:
              ansible_host: 192.0.2.2
        """);
    writePlaybook("one");
    commit("first", List.of());
  }

  private void writePlaybook(String value) throws IOException {
    Files.createDirectories(work.resolve("playbooks"));
    Files.writeString(work.resolve("playbooks/site.yml"), """
        - hosts: all
          resources:
            - file:
                path: %s/{{ inventory_hostname }}.conf
                content: "value=%s\\n"
              name: conf
        """.formatted(target, value));
  }

  private void commit(String message, List<String> sign) throws Exception {
    git(work, "add", "-A");
    List<String> args = new ArrayList<>(List.of("-c", "user.name=Op", "-c", "user.email=op@example.org"));
    args.addAll(sign);
    args.addAll(List.of("commit", "-q", "-m", message));
    if (!sign.isEmpty()) {
      args.add("-S");
    }
    git(work, args.toArray(String[]::new));
    git(work, "push", "-q", "-f", origin.toString(), "HEAD:refs/heads/main");
  }

  private static List<String> sshSigning(Path key) {
    return List.of("-c", "gpg.format=ssh", "-c", "user.signingkey=" + key);
  }

  static String git(Path in, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git"));
    cmd.addAll(List.of(args));
    return run(in, cmd);
  }

  static String run(Path in, List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(in.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(cmd + "\n" + text).isZero();
    return text;
  }

  private Path sshKey(String name) throws Exception {
    Path key = dir.resolve(name);
    run(dir, List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString()));
    return key;
  }

  private Cli pull(String... extra) {
    List<String> args = new ArrayList<>(List.of("pull", "--url", origin.toString(), "--playbook", "playbooks/site.yml",
        "-i", "inventory.yml", "--cache", cache.toString(), "--no-color", "--host", "web1"));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  private String head() throws Exception {
    return git(work, "rev-parse", "HEAD").strip();
  }

  private HostRecords.Record record(String host) throws IOException {
    try (Repository repo = new FileRepositoryBuilder().setGitDir(origin.toFile()).setBare().build()) {
      return HostRecords.latest(repo).stream().filter(r -> r.host().equals(host)).findFirst().orElseThrow();
    }
  }

  private static String runJson(HostRecords.Record r) {
    return r.files().entrySet().stream().filter(e -> e.getKey().startsWith("runs/") && e.getKey().endsWith(".json"))
        .map(e -> new String(e.getValue(), StandardCharsets.UTF_8)).findFirst().orElseThrow();
  }

  @Test
  void pull_freshHost_appliesTheCommit_andPushesItsRecordToItsOwnRef() throws Exception {
    Cli first = pull();
    assertThat(first.exit()).as(first.toString()).isZero();
    assertThat(target.resolve("web1.conf")).hasContent("value=one");
    assertThat(target.resolve("web2.conf")).as("only this host's resources").doesNotExist();
    assertThat(first.err()).contains("fetched " + head().substring(0, 12), "recorded in refs/plumb/hosts/web1");
    HostRecords.Record r1 = record("web1");
    assertThat(r1.file("commit")).hasValue(head() + "\n");
    assertThat(runJson(r1)).contains("\"command\": \"apply\"", "\"outcome\": \"changed\"", "\"commit\": \"" + head() + "\"");
    assertThat(r1.files()).containsKey("hosts/web1/facts.json").hasSize(3);

    Cli second = pull();
    assertThat(second.exit()).as(second.toString()).isZero();
    HostRecords.Record r2 = record("web1");
    assertThat(runJson(r2)).contains("\"outcome\": \"converged\"");
    assertThat(git(origin, "rev-parse", r2.id().name() + "^").strip()).as("the record chain: parent is the last record")
        .isEqualTo(r1.id().name());
  }

  @Test
  void log_onAController_withFetch_listsEachPulledHostsRunWithItsCommit() throws Exception {
    assertThat(pull().exit()).isZero();
    Cli web2 = Cli.run("pull", "--url", origin.toString(), "--playbook", "playbooks/site.yml", "-i", "inventory.yml",
        "--cache", dir.resolve("cache2").toString(), "--no-color", "--host", "web2");
    assertThat(web2.exit()).as(web2.toString()).isZero();
    Path controller = dir.resolve("controller");
    git(dir, "clone", "-q", origin.toString(), controller.toString());

    Cli before = Cli.run("log", "-C", controller.toString());
    assertThat(before.out()).as("no host ref fetched yet").doesNotContain("web1");

    Cli log = Cli.run("log", "-C", controller.toString(), "--fetch", origin.toString());
    assertThat(log.exit()).as(log.toString()).isZero();
    String commit = head().substring(0, 12);
    assertThat(log.out()).containsSubsequence("web1\n", "apply", "changed", commit, "web2\n", "apply", "changed", commit);

    Cli one = Cli.run("log", "-C", controller.toString(), "-l", "web2");
    assertThat(one.out()).as("the fetched refs stay for later logs").contains("web2").doesNotContain("web1");
  }

  @Test
  void pull_newCommit_rollsOutTheChangedValue() throws Exception {
    assertThat(pull().exit()).isZero();
    writePlaybook("two");
    commit("second", List.of());
    Cli again = pull();
    assertThat(again.exit()).as(again.toString()).isZero();
    assertThat(target.resolve("web1.conf")).hasContent("value=two");
    assertThat(record("web1").file("commit")).hasValue(head() + "\n");
  }

  @Test
  void pull_remoteUnreachable_checksTheCachedCommit_changesNothing_exits3() throws Exception {
    assertThat(pull().exit()).isZero();
    Files.writeString(target.resolve("web1.conf"), "drifted\n");
    Path away = dir.resolve("away.git");
    Files.move(origin, away);
    Cli offline = pull();
    assertThat(offline.exit()).as(offline.toString()).isEqualTo(3);
    assertThat(offline.err()).contains("cannot fetch refs/heads/main", "checked the cached commit");
    assertThat(offline.out()).contains("web1");
    assertThat(target.resolve("web1.conf")).as("check changes nothing").hasContent("drifted");
  }

  @Test
  void pull_neverFetched_andRemoteUnreachable_exits3WithoutRunning() {
    Cli c = Cli.run("pull", "--url", dir.resolve("nowhere.git").toString(), "--playbook", "playbooks/site.yml",
        "-i", "inventory.yml", "--cache", cache.toString(), "--host", "web1");
    assertThat(c.exit()).as(c.toString()).isEqualTo(3);
    assertThat(c.err()).contains("cannot fetch", "nothing to check");
  }

  @Test
  void pull_hostNotInInventory_saysSoAndRunsNothing() {
    Cli c = Cli.run("pull", "--url", origin.toString(), "--playbook", "playbooks/site.yml",
        "-i", "inventory.yml", "--cache", cache.toString(), "--host", "db9");
    assertThat(c.exit()).as(c.toString()).isEqualTo(1);
    assertThat(c.err()).contains("host db9 (--host) is not in the inventory", "fix:");
    assertThat(target.resolve("web1.conf")).doesNotExist();
  }

  @Test
  void pull_playbookMissingFromTheCommit_namesTheCommit() throws Exception {
    Cli c = Cli.run("pull", "--url", origin.toString(), "--playbook", "playbooks/nope.yml",
        "--cache", cache.toString(), "--host", "web1");
    assertThat(c.exit()).as(c.toString()).isEqualTo(1);
    assertThat(c.err()).contains("commit " + head().substring(0, 12) + " has no playbook playbooks/nope.yml");
  }

  @Test
  void pull_signedByAnAllowedKey_runs() throws Exception {
    Path key = sshKey("ops");
    Path allowed = Files.writeString(dir.resolve("allowed_signers"),
        "op@example.org " + Files.readString(dir.resolve("ops.pub")));
    Files.writeString(work.resolve("README"), "signed\n");
    commit("signed", sshSigning(key));
    Cli c = pull("--verify-signature", allowed.toString());
    assertThat(c.exit()).as(c.toString()).isZero();
    assertThat(target.resolve("web1.conf")).hasContent("value=one");
  }

  @Test
  void pull_unsignedCommit_withVerification_loadsNothing_andNamesTheCommit() throws Exception {
    sshKey("ops");
    Path allowed = Files.writeString(dir.resolve("allowed_signers"),
        "op@example.org " + Files.readString(dir.resolve("ops.pub")));
    Cli c = pull("--verify-signature", allowed.toString());
    assertThat(c.exit()).as(c.toString()).isEqualTo(1);
    assertThat(c.err()).contains("commit " + head() + " is not signed; nothing of it was loaded");
    assertThat(target.resolve("web1.conf")).doesNotExist();
    assertThat(cache.resolve("checkout")).as("nothing checked out").doesNotExist();
  }

  @Test
  void pull_signedByAnotherKey_loadsNothing_andSaysWhy() throws Exception {
    sshKey("ops");
    Path intruder = sshKey("intruder");
    Path allowed = Files.writeString(dir.resolve("allowed_signers"),
        "op@example.org " + Files.readString(dir.resolve("ops.pub")));
    Files.writeString(work.resolve("README"), "evil\n");
    commit("intruder", sshSigning(intruder));
    Cli c = pull("--verify-signature", allowed.toString());
    assertThat(c.exit()).as(c.toString()).isEqualTo(1);
    assertThat(c.err()).contains("commit " + head() + " is not signed by an allowed key", "nothing of it was loaded");
    assertThat(target.resolve("web1.conf")).doesNotExist();
  }

  @Test
  void pull_afterAnUntrustedCommit_theRemoteRecoversWithASignedOne() throws Exception {
    Path key = sshKey("ops");
    Path allowed = Files.writeString(dir.resolve("allowed_signers"),
        "op@example.org " + Files.readString(dir.resolve("ops.pub")));
    assertThat(pull("--verify-signature", allowed.toString()).exit()).isEqualTo(1);
    writePlaybook("signed");
    commit("signed", sshSigning(key));
    Cli c = pull("--verify-signature", allowed.toString());
    assertThat(c.exit()).as(c.toString()).isZero();
    assertThat(target.resolve("web1.conf")).hasContent("value=signed");
  }
}

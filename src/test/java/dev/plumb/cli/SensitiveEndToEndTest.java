package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets stay out of every output and the ledger: a variable declared sensitive, a variable with a
 * credential-like name, text built from them, and credential options read from a host's config.
 */
class SensitiveEndToEndTest {
  @TempDir Path dir;

  private Path setUp() throws Exception {
    Files.writeString(dir.resolve("nova.conf"),
        "[database]\nconnection = mysql+pymysql://nova:OLD_DB_PASS@ctl/nova\n[DEFAULT]\ndebug = false\n");
    return Files.writeString(dir.resolve("play.yml"), """
        - hosts: localhost
          vars:
            flavor_token: tok-0123456789
            nova_db_password: NEW_DB_PASS
            plain: just-text
          sensitive: [flavor_token]
          resources:
            - file:
                path: %1$s/token.txt
                content: "the token {{ flavor_token }}\\n"
            - file:
                path: %1$s/plain.txt
                content: "{{ plain }}\\n"
            - command:
                argv: [/bin/sh, -c, "echo {{ flavor_token }} > /dev/null"]
                creates: %1$s/never
              name: use-token
            - ini:
                path: %1$s/nova.conf
                section: database
                option: connection
                value: "mysql+pymysql://nova:{{ nova_db_password }}@ctl/nova"
            - ini:
                path: %1$s/nova.conf
                section: DEFAULT
                option: debug
                value: "true"
        """.formatted(dir));
  }

  @Test
  void plan_everyFormat_showsSensitiveInsteadOfSecrets() throws Exception {
    Path playbook = setUp();
    for (String format : new String[] {"text", "json", "markdown"}) {
      Cli plan = Cli.run("plan", "--no-color", "--format", format, playbook.toString());
      assertThat(plan.exit()).as(plan.toString()).isZero();
      assertThat(plan.out()).as(format)
          .doesNotContain("tok-0123456789", "NEW_DB_PASS", "OLD_DB_PASS")
          .contains("(sensitive)")
          .contains("just-text");
    }
  }

  @Test
  void record_ledgerFacts_holdDigestsOfCredentialOptions() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      Path playbook = setUp();
      Cli check = Cli.run("check", "--record", "--no-color", playbook.toString());
      assertThat(check.exit()).as(check.toString()).isEqualTo(2);
      String facts = ledgerFile(git.getRepository(), "hosts/localhost/facts.json");
      assertThat(facts).contains("\"redacted\"");
      String decoded = decodeAll(facts);
      assertThat(decoded).doesNotContain("OLD_DB_PASS").contains("connection = (sensitive sha256:");
      String runs = String.join("\n", ledgerFiles(git.getRepository(), "runs/"));
      assertThat(runs).doesNotContain("tok-0123456789", "NEW_DB_PASS", "OLD_DB_PASS");
    }
  }

  private static String decodeAll(String factsJson) {
    StringBuilder out = new StringBuilder();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"base64\" ?: ?\"([A-Za-z0-9+/=]*)\"").matcher(factsJson);
    while (m.find()) {
      out.append(new String(java.util.Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8)).append('\n');
    }
    return out.toString();
  }

  private static String ledgerFile(Repository repo, String path) throws Exception {
    ObjectId tip = repo.resolve("refs/plumb/ledger");
    try (RevWalk walk = new RevWalk(repo); TreeWalk tw = TreeWalk.forPath(repo, path, walk.parseCommit(tip).getTree())) {
      assertThat(tw).as(path).isNotNull();
      return new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    }
  }

  private static java.util.List<String> ledgerFiles(Repository repo, String prefix) throws Exception {
    java.util.List<String> out = new java.util.ArrayList<>();
    ObjectId tip = repo.resolve("refs/plumb/ledger");
    try (RevWalk walk = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
      tw.addTree(walk.parseCommit(tip).getTree());
      tw.setRecursive(true);
      while (tw.next()) {
        if (tw.getPathString().startsWith(prefix)) {
          out.add(new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }
}

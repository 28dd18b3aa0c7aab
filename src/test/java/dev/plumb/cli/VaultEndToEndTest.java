package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.inventory.Vault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A play whose secret was made by ansible-vault encrypt_string, run through the CLI on localhost. */
class VaultEndToEndTest {
  static final Path VAULT = Path.of("src/test/resources/vault").toAbsolutePath();
  static final String PLAY = VAULT.resolve("play.yml").toString();

  @TempDir Path dir;

  @AfterEach
  void forget() {
    Vault.use(List.of());
  }

  @Test
  void apply_withAPasswordScriptAndAVaultId_writesThePlaintext_andNeverPrintsIt() throws Exception {
    String out = "out_dir=" + dir;
    String id = "--vault-id=ops@" + VAULT.resolve("ops-password");
    for (String format : new String[] {"text", "json", "markdown"}) {
      Cli plan = Cli.run("plan", "--no-color", "--format", format, id, "-e", out, PLAY);
      assertThat(plan.exit()).as(plan.toString()).isZero();
      assertThat(plan.out() + plan.err()).as(format).doesNotContain("ops-token-42").contains("(sensitive)");
    }
    Cli apply = Cli.run("apply", "--no-color", id, "-e", out, PLAY);
    assertThat(apply.exit()).as(apply.toString()).isZero();
    assertThat(apply.out() + apply.err()).doesNotContain("ops-token-42");
    assertThat(Files.readString(dir.resolve("token.txt"))).isEqualTo("token=ops-token-42\n");
  }

  @Test
  void passwordFile_thatIsAScript_isRun() throws Exception {
    // password-script prints the 'default' password: it is tried for the 'ops' value too, and fails.
    Cli plan = Cli.run("plan", "--no-color", "--vault-password-file", VAULT.resolve("password-script").toString(),
        "-e", "out_dir=" + dir, PLAY);
    assertThat(plan.exit()).isEqualTo(1);
    assertThat(plan.err()).contains("play.yml:4:16: error: this vault text cannot be decrypted (vault id 'ops')",
        "HMAC does not match").doesNotContain("ops-token-42");
  }

  @Test
  void noPassword_exit1_namesTheValueAndTheOptions_noHostContacted() {
    Cli plan = Cli.run("plan", "--no-color", "-e", "out_dir=" + dir, PLAY);
    assertThat(plan.exit()).isEqualTo(1);
    assertThat(plan.err()).contains("play.yml:4:16: error: this value is vault-encrypted and no vault password was given",
        "--vault-password-file", "--ask-vault-pass", "PLUMB_VAULT_PASSWORD_FILE", "no host was contacted");
    assertThat(plan.err()).doesNotContain("$ANSIBLE_VAULT;1.2;AES256;ops\n");
  }

  @Test
  void inventory_withAPasswordScript_readsVaultedFiles() {
    Cli list = Cli.run("inventory", "-i", VAULT.resolve("inventory/hosts.yml").toString(), "--host", "node1",
        "--vault-password-file", VAULT.resolve("password-script").toString(),
        "--vault-id", "ops@" + VAULT.resolve("ops-password"));
    assertThat(list.exit()).as(list.toString()).isZero();
    assertThat(list.out()).contains("\"db_password\": \"(sensitive)\"", "\"__ansible_vault\"").doesNotContain("hunter2");
  }
}

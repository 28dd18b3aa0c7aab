package dev.plumb.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.source.Problem;
import dev.plumb.source.Problems;
import dev.plumb.source.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Values and files encrypted by the real ansible-vault (src/test/resources/vault/README.md). */
class VaultTest {
  static final Path DIR = Path.of("src/test/resources/vault");
  static final Path INVENTORY = DIR.resolve("inventory/hosts.yml");

  static Vault.Secret secret(String id, String file) throws IOException {
    return new Vault.Secret(id, Files.readString(DIR.resolve(file)).strip().getBytes(StandardCharsets.UTF_8));
  }

  @AfterEach
  void forget() {
    Vault.use(List.of());
  }

  @Test
  void encryptString_andEncryptedFiles_formats11And12_decrypt() throws IOException {
    Vault.use(List.of(secret("default", "password"), secret("ops", "ops-password")));
    Problems problems = new Problems();
    Host node1 = Inventory.read(INVENTORY, problems).host("node1").orElseThrow();
    assertThat(problems.all()).filteredOn(Problem::isError).isEmpty();
    assertThat(node1.var("ansible_become_password")).contains("the-become-password-1"); // encrypt_string, 1.1
    assertThat(node1.var("api_token")).contains("ops-token-42"); // encrypt_string --vault-id ops, 1.2
    assertThat(node1.var("db_password")).contains("hunter2-db"); // encrypt, whole file
    assertThat(node1.var("gpu_secret")).contains("nvidia-license-key"); // encrypt --vault-id ops, whole file
    assertThat(node1.var("plain_var")).contains("visible");
  }

  @Test
  void decryptedValues_areSensitive_plainOnesAreNot() throws IOException {
    Vault.use(List.of(secret("default", "password"), secret("ops", "ops-password")));
    Host node1 = Inventory.read(INVENTORY, new Problems()).host("node1").orElseThrow();
    for (String name : List.of("ansible_become_password", "api_token", "db_password", "gpu_secret", "replicas")) {
      assertThat(((Value.Scalar) node1.vars().get(name)).sensitive()).as(name).isTrue();
    }
    assertThat(((Value.Scalar) node1.vars().get("plain_var")).sensitive()).isFalse();
    assertThat(node1.vars().get("db_password").toString()).doesNotContain("hunter2");
  }

  @Test
  void list_isAnsibleInventorys_exceptDecryptedFileValuesAreHidden() throws IOException {
    Vault.use(List.of(secret("default", "password"), secret("ops", "ops-password")));
    String expected = Files.readString(DIR.resolve("list.json"))
        .replace("\"hunter2-db\"", "\"(sensitive)\"").replace("\"nvidia-license-key\"", "\"(sensitive)\"")
        .replace("\"replicas\": 3", "\"replicas\": \"(sensitive)\"");
    String list = Inventory.read(INVENTORY, new Problems()).ansibleList();
    assertThat(list + "\n").isEqualTo(expected);
    assertThat(list).doesNotContain("the-become-password-1", "ops-token-42", "hunter2-db", "nvidia-license-key");
  }

  @Test
  void noPassword_isAnInputErrorAtTheValue_namingTheOptions_neverTheCiphertext() {
    Problems problems = new Problems();
    Inventory inventory = Inventory.read(INVENTORY, problems);
    String errors = problems.all().stream().filter(Problem::isError).map(Problem::render).collect(Collectors.joining("\n"));
    assertThat(errors).contains("group_vars/all.yml:2:26: error: this value is vault-encrypted and no vault password was given",
        "host_vars/node1.yml:1:1: error: this file is vault-encrypted",
        "--vault-password-file FILE", "--ask-vault-pass", "PLUMB_VAULT_PASSWORD_FILE");
    assertThat(errors).doesNotContain("6162", "$ANSIBLE_VAULT;1.1;AES256\n3");
    assertThat(inventory.host("node1").flatMap(h -> h.var("ansible_become_password"))).isEmpty();
  }

  @Test
  void wrongPassword_isAClearError() throws IOException {
    Vault.use(List.of(secret("default", "wrong-password")));
    Problems problems = new Problems();
    Inventory.read(INVENTORY, problems);
    assertThat(problems.all().stream().filter(Problem::isError).map(Problem::render).toList())
        .anySatisfy(e -> assertThat(e).contains("group_vars/all.yml:2:26: error: this vault text cannot be decrypted"
            + " (vault id 'default') with the vault password given: the HMAC does not match"))
        .anySatisfy(e -> assertThat(e).contains("host_vars/node1.yml:1:1: error: this file cannot be decrypted"));
  }

  @Test
  void tamperedHmac_isAClearError_evenWithTheRightPassword() throws IOException {
    Vault.use(List.of(secret("default", "password")));
    Problems problems = new Problems();
    Yaml.read(DIR.resolve("tampered-hmac.yml"), problems);
    assertThat(problems.all()).singleElement().satisfies(p -> assertThat(p.render())
        .contains("tampered-hmac.yml:1:26: error: this vault text cannot be decrypted", "HMAC does not match",
            "the password is wrong or the ciphertext was changed"));
  }

  @Test
  void pbkdf2_matchesTheJdks_forAsciiPasswords() throws Exception {
    byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    byte[] jdk = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
        .generateSecret(new javax.crypto.spec.PBEKeySpec("pw".toCharArray(), salt, 1000, 640)).getEncoded();
    assertThat(Vault.pbkdf2("pw".getBytes(StandardCharsets.US_ASCII), salt, 1000, 80)).isEqualTo(jdk);
  }
}

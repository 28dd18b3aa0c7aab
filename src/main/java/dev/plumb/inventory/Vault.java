package dev.plumb.inventory;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ansible Vault texts ({@code $ANSIBLE_VAULT;1.1;AES256} and {@code 1.2;AES256;<vault id>})
 * decrypted as ansible-vault encrypts them: PBKDF2-HMAC-SHA256 (10000 iterations) gives the AES
 * key, the HMAC key and the counter; the HMAC-SHA256 of the ciphertext is checked before AES-CTR
 * decrypts it; PKCS#7 padding. JDK crypto only.
 *
 * <p>The passwords are set once by the command line ({@link #use}) before anything is loaded,
 * because vaulted values can appear in any YAML plumb reads (inventory, group_vars, playbooks).
 */
public final class Vault {
  static final String HEADER = "$ANSIBLE_VAULT;";

  /** A vault password and the vault id it was given for ("default" when none). */
  public record Secret(String id, byte[] password) {
    @Override
    public String toString() {
      return "Secret[id=" + id + ", password=(sensitive)]";
    }
  }

  /** Why a vault text could not be decrypted; the message never contains the ciphertext. */
  static final class VaultException extends Exception {
    private static final long serialVersionUID = 1L;
    final String fix;

    VaultException(String message, String fix) {
      super(message, null, false, false);
      this.fix = fix;
    }
  }

  private static volatile List<Secret> secrets = List.of();

  private Vault() {}

  /** The passwords to decrypt with, from --vault-password-file, --vault-id, --ask-vault-pass. */
  public static void use(List<Secret> given) {
    secrets = List.copyOf(given);
  }

  static boolean isVault(String text) {
    return text.stripLeading().startsWith(HEADER);
  }

  /** The plaintext; tries the secrets whose id matches the text's first, then the others. */
  static String decrypt(String vaultText) throws VaultException {
    List<Secret> all = secrets;
    if (all.isEmpty()) {
      throw new VaultException("this value is vault-encrypted and no vault password was given",
          "give --vault-password-file FILE (an executable FILE is run and its output used), --vault-id [ID@]FILE,"
              + " --ask-vault-pass, or set PLUMB_VAULT_PASSWORD_FILE");
    }
    String[] lines = vaultText.strip().split("\r?\n");
    String[] header = lines[0].strip().split(";");
    if (header.length < 3 || !header[0].equals("$ANSIBLE_VAULT")) {
      throw new VaultException("the vault header '" + lines[0].strip() + "' is not $ANSIBLE_VAULT;1.1;AES256 or"
          + " $ANSIBLE_VAULT;1.2;AES256;ID", "encrypt it again with ansible-vault");
    }
    String version = header[1].strip();
    String cipher = header[2].strip();
    if (!version.equals("1.1") && !version.equals("1.2")) {
      throw new VaultException("vault format " + version + " is not supported (only 1.1 and 1.2)",
          "encrypt it again with ansible-vault");
    }
    if (!cipher.equals("AES256")) {
      throw new VaultException("vault cipher " + cipher + " is not supported (only AES256)",
          "encrypt it again with ansible-vault, which writes AES256");
    }
    String id = header.length >= 4 ? header[3].strip() : "default";
    byte[][] parts = parts(lines);
    List<Secret> order = new ArrayList<>();
    all.stream().filter(s -> s.id().equals(id)).forEach(order::add);
    all.stream().filter(s -> !s.id().equals(id)).forEach(order::add);
    for (Secret s : order) {
      byte[] plain = decrypt(parts[0], parts[1], parts[2], s.password());
      if (plain != null) {
        return new String(plain, StandardCharsets.UTF_8);
      }
    }
    throw new VaultException("this vault text cannot be decrypted (vault id '" + id + "') with the "
        + (all.size() == 1 ? "vault password" : all.size() + " vault passwords") + " given: the HMAC does not match,"
        + " so the password is wrong or the ciphertext was changed",
        "give the password it was encrypted with (ansible-vault view checks it), or encrypt the value again");
  }

  /** salt, hmac, ciphertext from the envelope's doubly hex-encoded body. */
  private static byte[][] parts(String[] lines) throws VaultException {
    StringBuilder body = new StringBuilder();
    for (int i = 1; i < lines.length; i++) {
      body.append(lines[i].strip());
    }
    try {
      String inner = new String(HexFormat.of().parseHex(body), StandardCharsets.US_ASCII);
      String[] p = inner.split("\n", -1);
      if (p.length != 3) {
        throw new IllegalArgumentException("expected salt, hmac and ciphertext");
      }
      return new byte[][] {HexFormat.of().parseHex(p[0]), HexFormat.of().parseHex(p[1]), HexFormat.of().parseHex(p[2])};
    } catch (IllegalArgumentException e) {
      throw new VaultException("this vault text is damaged (its body is not the hex that ansible-vault writes)",
          "encrypt the value again with ansible-vault");
    }
  }

  /** The plaintext, or null when the HMAC does not match (wrong password or changed ciphertext). */
  static byte[] decrypt(byte[] salt, byte[] hmac, byte[] ciphertext, byte[] password) throws VaultException {
    try {
      byte[] derived = pbkdf2(password, salt, 10_000, 80);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(derived, 32, 32, "HmacSHA256"));
      if (!MessageDigest.isEqual(mac.doFinal(ciphertext), hmac)) {
        return null;
      }
      Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
      aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(derived, 0, 32, "AES"), new IvParameterSpec(derived, 64, 16));
      byte[] padded = aes.doFinal(ciphertext);
      int pad = padded.length == 0 ? 0 : padded[padded.length - 1] & 0xff;
      if (pad < 1 || pad > 16 || pad > padded.length) {
        throw new VaultException("this vault text decrypts to badly padded data", "encrypt the value again");
      }
      return java.util.Arrays.copyOf(padded, padded.length - pad);
    } catch (GeneralSecurityException e) {
      throw new VaultException("cannot decrypt: " + e.getMessage(), "check that the JRE has AES and PBKDF2");
    }
  }

  /**
   * PBKDF2-HMAC-SHA256 over the password's bytes (RFC 8018), written out because the JDK's
   * PBKDF2WithHmacSHA256 takes chars and would re-encode a non-UTF-8 password file's bytes.
   */
  static byte[] pbkdf2(byte[] password, byte[] salt, int iterations, int length) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA256"));
    byte[] out = new byte[length];
    int blocks = (length + 31) / 32;
    for (int i = 1; i <= blocks; i++) {
      mac.update(salt);
      mac.update(new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
      byte[] u = mac.doFinal();
      byte[] t = u.clone();
      for (int k = 1; k < iterations; k++) {
        u = mac.doFinal(u);
        for (int j = 0; j < t.length; j++) {
          t[j] ^= u[j];
        }
      }
      System.arraycopy(t, 0, out, (i - 1) * 32, Math.min(32, length - (i - 1) * 32));
    }
    return out;
  }
}

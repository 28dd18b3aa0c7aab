package dev.plumb.cli;

import dev.plumb.inventory.Vault;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * Where vault passwords come from, as in Ansible: a file (an executable one is run and its
 * output used), {@code --vault-id ID@FILE}, a prompt, or PLUMB_VAULT_PASSWORD_FILE.
 */
final class VaultOptions {
  static final String ENV = "PLUMB_VAULT_PASSWORD_FILE";

  @Option(names = "--vault-password-file", paramLabel = "FILE",
      description = "Vault password file; an executable FILE is run and its output used (also PLUMB_VAULT_PASSWORD_FILE).")
  List<Path> passwordFiles = new ArrayList<>();

  @Option(names = "--vault-id", paramLabel = "[ID@]FILE",
      description = "A vault password for vault id ID, from FILE (or 'prompt'); repeatable.")
  List<String> ids = new ArrayList<>();

  @Option(names = {"-J", "--ask-vault-pass"}, description = "Ask for the vault password.")
  boolean ask;

  /** Reads the passwords and hands them to the loader; false (with a message) when one cannot be read. */
  boolean apply(PrintWriter err, Map<String, String> env) {
    List<Vault.Secret> secrets = new ArrayList<>();
    try {
      for (String id : ids) {
        int at = id.indexOf('@');
        String label = at < 0 ? "default" : id.substring(0, at);
        String source = at < 0 ? id : id.substring(at + 1);
        secrets.add(new Vault.Secret(label, source.equals("prompt") ? prompt(label) : read(Path.of(source))));
      }
      for (Path file : passwordFiles) {
        secrets.add(new Vault.Secret("default", read(file)));
      }
      String fromEnv = env.get(ENV);
      if (passwordFiles.isEmpty() && ids.isEmpty() && fromEnv != null && !fromEnv.isBlank()) {
        secrets.add(new Vault.Secret("default", read(Path.of(fromEnv))));
      }
      if (ask) {
        secrets.add(new Vault.Secret("default", prompt("default")));
      }
    } catch (IOException e) {
      err.println("plumb: " + e.getMessage());
      err.println("    fix: give a readable vault password file (or an executable that prints the password)");
      return false;
    }
    Vault.use(secrets);
    return true;
  }

  private static byte[] prompt(String label) throws IOException {
    java.io.Console console = System.console();
    if (console == null) {
      throw new IOException("cannot ask for the vault password without a terminal; use --vault-password-file"
          + " or " + ENV);
    }
    char[] pw = console.readPassword("%s", label.equals("default") ? "Vault password: " : "Vault password (" + label + "): ");
    return new String(pw == null ? new char[0] : pw).getBytes(StandardCharsets.UTF_8);
  }

  /** A password file's content without surrounding whitespace, or an executable's output without line ends. */
  static byte[] read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("vault password file not found: " + file);
    }
    byte[] pw = Files.isExecutable(file) ? run(file) : strip(Files.readAllBytes(file), " \t\r\n\f\u000b");
    if (pw.length == 0) {
      throw new IOException("the vault password from " + file + " is empty");
    }
    return pw;
  }

  private static byte[] run(Path script) throws IOException {
    Process p = new ProcessBuilder(script.toAbsolutePath().toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("the vault password script " + script + " did not finish within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + script);
    }
    if (p.exitValue() != 0) {
      throw new IOException("the vault password script " + script + " exited with status " + p.exitValue());
    }
    return strip(out, "\r\n");
  }

  private static byte[] strip(byte[] b, String chars) {
    int from = 0;
    int to = b.length;
    while (from < to && chars.indexOf(b[from]) >= 0) {
      from++;
    }
    while (to > from && chars.indexOf(b[to - 1]) >= 0) {
      to--;
    }
    return java.util.Arrays.copyOfRange(b, from, to);
  }
}

package dev.plumb.facts;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** What reading a {@link Fact} gave. A missing file is not an empty file. */
public sealed interface FactResult {

  /** A file's exact bytes. */
  record Content(byte[] bytes) implements FactResult {
    public String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Hex sha256 of the bytes: the guard a planned write checks before it replaces the file. */
    public String sha256() {
      return FactResult.sha256(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Content c && Arrays.equals(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Content[" + bytes.length + " bytes]";
    }
  }

  /** The file does not exist. */
  record Missing() implements FactResult {}

  /** The path exists but could not be read (a directory, no permission). */
  record Unreadable() implements FactResult {}

  /** A command's exit status and stdout. */
  record Output(int exitStatus, byte[] stdout) implements FactResult {
    public String text() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    public boolean ok() {
      return exitStatus == 0;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Output out && exitStatus == out.exitStatus && Arrays.equals(stdout, out.stdout);
    }

    @Override
    public int hashCode() {
      return 31 * exitStatus + Arrays.hashCode(stdout);
    }

    @Override
    public String toString() {
      return "Output[exit " + exitStatus + ", " + stdout.length + " bytes]";
    }
  }

  static Content content(String text) {
    return new Content(text.getBytes(StandardCharsets.UTF_8));
  }

  static Output output(int exitStatus, String stdout) {
    return new Output(exitStatus, stdout.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A short fingerprint of a result, equal exactly when the results are equal: {@code sha256:<hex>}
   * for a file's content, {@code missing}, {@code unreadable}, or {@code exit <n> sha256:<hex>} for a
   * command's status and stdout. A plan keeps these for the facts each step was made from.
   */
  static String digest(FactResult result) {
    if (result instanceof Content c) {
      return "sha256:" + sha256(c.bytes());
    }
    if (result instanceof Output o) {
      return "exit " + o.exitStatus() + " sha256:" + sha256(o.stdout());
    }
    return result instanceof Missing ? "missing" : "unreadable";
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}

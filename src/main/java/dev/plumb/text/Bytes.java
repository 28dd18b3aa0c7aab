package dev.plumb.text;

/** Searching byte arrays (framed command output, which need not be text). */
public final class Bytes {
  private Bytes() {}

  /** Where {@code needle} first occurs in {@code haystack} at or after {@code from}, or -1. */
  public static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = Math.max(from, 0); i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

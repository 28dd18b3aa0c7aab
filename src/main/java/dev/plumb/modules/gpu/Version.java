package dev.plumb.modules.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A dotted numeric version compared per component as numbers (367.35 < 375.26, 9.2 < 10.0).
 * Missing trailing components count as zero, so 367.35 equals 367.35.0: the NVIDIA driver and CUDA
 * never publish two releases that differ only by a trailing .0.
 */
record Version(List<Long> parts, String text) implements Comparable<Version> {

  /** At most this many components, each at most {@link #MAX_DIGITS} digits (fits a long). */
  static final int MAX_PARTS = 8;
  static final int MAX_DIGITS = 18;

  // No regex: "(\\.\\d+)*" recursed once per component and a 100,000-part version overflowed the
  // stack; a 29-digit component overflowed Long.parseLong. Both are now simply not versions.
  static boolean valid(String text) {
    if (text == null) {
      return false;
    }
    String t = text.strip();
    if (t.isEmpty() || t.length() > MAX_PARTS * (MAX_DIGITS + 1)) {
      return false;
    }
    int parts = 1;
    int digits = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c >= '0' && c <= '9') {
        if (++digits > MAX_DIGITS) {
          return false;
        }
      } else if (c == '.' && digits > 0 && ++parts <= MAX_PARTS) {
        digits = 0;
      } else {
        return false;
      }
    }
    return digits > 0;
  }

  static Version of(String text) {
    if (!valid(text)) {
      throw new IllegalArgumentException("not a dotted numeric version: " + text);
    }
    List<Long> parts = new ArrayList<>();
    for (String p : text.strip().split("\\.")) {
      parts.add(Long.parseLong(p));
    }
    return new Version(List.copyOf(parts), text.strip());
  }

  static Optional<Version> parse(String text) {
    return valid(text) ? Optional.of(of(text)) : Optional.empty();
  }

  @Override
  public int compareTo(Version o) {
    for (int i = 0; i < Math.max(parts.size(), o.parts.size()); i++) {
      long a = i < parts.size() ? parts.get(i) : 0;
      long b = i < o.parts.size() ? o.parts.get(i) : 0;
      if (a != b) {
        return Long.compare(a, b);
      }
    }
    return 0;
  }

  boolean same(Version o) {
    return compareTo(o) == 0;
  }

  /** {@code 8.0} of {@code 8.0.27}. */
  String majorMinor() {
    return parts.get(0) + "." + (parts.size() > 1 ? parts.get(1) : 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Version v && same(v);
  }

  @Override
  public int hashCode() {
    List<Long> trimmed = new ArrayList<>(parts);
    while (!trimmed.isEmpty() && trimmed.get(trimmed.size() - 1) == 0) {
      trimmed.remove(trimmed.size() - 1);
    }
    return trimmed.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}

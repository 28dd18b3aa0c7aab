package dev.plumb.modules.gpu;

import java.util.Collection;
import java.util.Optional;

/** Levenshtein distance, for "did you mean" suggestions. */
final class EditDistance {
  private EditDistance() {}

  static int of(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The closest candidate within {@code limit} edits. */
  static Optional<String> closest(String word, Collection<String> candidates, int limit) {
    String best = null;
    int bestD = limit + 1;
    for (String c : candidates) {
      int d = of(word, c);
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    return Optional.ofNullable(best);
  }
}

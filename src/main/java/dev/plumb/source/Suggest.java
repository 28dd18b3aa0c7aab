package dev.plumb.source;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToIntFunction;

/** "Did you mean …" for names the user misspelt, by edit distance. */
public final class Suggest {
  private Suggest() {}

  /**
   * The closest candidate, if it is close enough to be a plausible typo: case is ignored, adjacent
   * swaps cost one edit, and an exact match is no suggestion.
   */
  public static Optional<String> closest(String wrong, Collection<String> candidates) {
    String w = wrong.toLowerCase(Locale.ROOT);
    Nearest n = nearest(candidates, c -> distance(w, c.toLowerCase(Locale.ROOT)));
    // Short names tolerate one edit, longer ones up to a third of their length (max 3).
    int allowed = Math.max(1, Math.min(3, wrong.length() / 3));
    return n.best() != null && n.distance() <= allowed && n.distance() > 0 ? Optional.of(n.best()) : Optional.empty();
  }

  /** "did you mean 'x'? " or "" — to put in front of a fix. */
  public static String didYouMean(String wrong, Collection<String> candidates) {
    return closest(wrong, candidates).map(c -> "did you mean '" + c + "'? ").orElse("");
  }

  /**
   * The first candidate nearest to {@code word} within {@code limit} edits, by case-sensitive
   * Levenshtein distance (a swap is two edits); an exact match counts. The GPU modules' messages
   * were written against this rule, so it is kept apart from {@link #closest(String, Collection)}.
   */
  public static Optional<String> closest(String word, Collection<String> candidates, int limit) {
    Nearest n = nearest(candidates, c -> levenshtein(word, c));
    return n.best() != null && n.distance() <= limit ? Optional.of(n.best()) : Optional.empty();
  }

  /** Damerau-Levenshtein distance (optimal string alignment: adjacent swaps cost 1). */
  public static int distance(String a, String b) {
    return distance(a, b, true);
  }

  /** Levenshtein distance: insertions, deletions and substitutions cost 1. */
  static int levenshtein(String a, String b) {
    return distance(a, b, false);
  }

  private record Nearest(String best, int distance) {}

  /** The first candidate at the smallest distance. */
  private static Nearest nearest(Collection<String> candidates, ToIntFunction<String> distanceTo) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distanceTo.applyAsInt(c);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return new Nearest(best, bestDistance);
  }

  private static int distance(String a, String b, boolean adjacentSwaps) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (adjacentSwaps && i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}

package dev.plumb.source;

/**
 * Where a value was written: file, 1-based line and 1-based column.
 *
 * <p>snakeyaml-engine marks are 0-based; convert with {@link #of(String, int, int)} from them.
 */
public record Mark(String file, int line, int column) {

  /** A mark for things that have no place in a file (command-line values, built-in defaults). */
  public static Mark nowhere(String what) {
    return new Mark(what, 0, 0);
  }

  /** From a snakeyaml-engine mark's 0-based line and column. */
  public static Mark of(String file, int zeroBasedLine, int zeroBasedColumn) {
    return new Mark(file, zeroBasedLine + 1, zeroBasedColumn + 1);
  }

  @Override
  public String toString() {
    return line == 0 ? file : file + ":" + line + ":" + column;
  }
}

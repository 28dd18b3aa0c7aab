package dev.plumb.facts;

/**
 * One thing to read from a host. Facts are values: equal facts from different resources are read
 * once, so a host is read in one round trip however many resources look at the same file.
 */
public sealed interface Fact {

  /** The content of a file, or that it is missing. */
  record File(String path) implements Fact {
    public File {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("a file fact needs an absolute path: " + path);
      }
    }
  }

  /**
   * The stdout and exit status of a shell snippet run with /bin/sh. The snippet is module code;
   * any user value inside it must have been quoted with {@code Shell.quote}. Stdin is empty and
   * stderr is discarded, so a snippet cannot disturb the framing or hang on input.
   */
  record Command(String script) implements Fact {}

  static File file(String path) {
    return new File(path);
  }

  static Command command(String script) {
    return new Command(script);
  }
}

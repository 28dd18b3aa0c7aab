package dev.plumb.facts;

import java.util.regex.Pattern;

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

  /**
   * Every regular file a shell glob matches, with its content, framed by the fact script's own
   * random delimiter (a file cannot forge a boundary). It reads as {@link FactResult.Output} whose
   * stdout is {@link FileListing}'s text; a planned write to a matching path is seen by later steps.
   *
   * @param glob an absolute shell glob from module code (not quoted: it must expand), e.g. {@code
   *     /etc/default/grub.d/*.cfg}
   */
  record Files(String glob) implements Fact {
    public Files {
      if (!glob.startsWith("/") || glob.contains("\n") || glob.contains("'") || glob.contains("\"")) {
        throw new IllegalArgumentException("a files fact needs an absolute glob without quotes or newlines: " + glob);
      }
    }

    /** Whether {@code path} is one the shell would list for this glob (a leading dot needs a dot). */
    public boolean matches(String path) {
      return PATTERNS.computeIfAbsent(glob, Files::toRegex).matcher(path).matches();
    }

    /**
     * Compiled globs, by glob: the planner asks every plan (each host, each watch cycle) whether
     * its writes match the files facts, and compiling dominated that. Globs come from module code
     * and the playbook, a small set.
     */
    private static final java.util.Map<String, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

    private static Pattern toRegex(String glob) {
      StringBuilder re = new StringBuilder();
      boolean componentStart = true;
      for (int i = 0; i < glob.length(); i++) {
        char c = glob.charAt(i);
        switch (c) {
          case '*' -> re.append(componentStart ? "(?!\\.)[^/]*" : "[^/]*");
          case '?' -> re.append(componentStart ? "[^/.]" : "[^/]");
          case '[' -> {
            int end = glob.indexOf(']', i + 2);
            if (end < 0) {
              re.append("\\[");
            } else {
              String set = glob.substring(i + 1, end);
              re.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
              i = end;
            }
          }
          default -> re.append(Pattern.quote(String.valueOf(c)));
        }
        componentStart = c == '/';
      }
      return Pattern.compile(re.toString());
    }
  }

  static File file(String path) {
    return new File(path);
  }

  static Command command(String script) {
    return new Command(script);
  }

  static Files files(String glob) {
    return new Files(glob);
  }
}

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
   * stderr is discarded, so a snippet cannot disturb the framing or hang on input. A snippet sets
   * every variable it reads: an inline snippet before it may have set any name.
   *
   * <p>A snippet runs in a subshell of the fact script's shell, so that nothing it does outlives it:
   * a fork, about 0.4 ms of host time, at every read of facts (every cycle of {@code plumb watch}).
   * An {@link #inline} snippet runs in the script's own shell instead, as the body of a function (so
   * it ends with {@code return N}, never {@code exit}). That shell is kept from cycle to cycle by
   * the watch, and runs the facts after it: the snippet must leave it as it found it. It does not
   * {@code exit}, {@code exec}, {@code cd} (or restores the directory it left), {@code set},
   * {@code shift}, {@code trap}, {@code umask}, {@code unset}, or read stdin; it assigns only
   * variables it initialises itself, never PATH, IFS or another variable of the environment (a
   * command's own {@code PATH=... cmd} is fine), and no variable or function named {@code plumb_*}:
   * those are the script's own. Nor may it make a non-interactive shell exit: a special builtin's
   * error (its redirection's included), {@code ${x?}}, a bad arithmetic expansion. A snippet may
   * still start processes; inline, it saves the fork around them.
   *
   * <p>How a snippet runs is not what it reads: two commands with the same script are equal, and a
   * script declared inline anywhere runs inline ({@code FactScript}).
   */
  record Command(String script, boolean inline) implements Fact {
    public Command(String script) {
      this(script, false);
    }

    /** A snippet that keeps {@link Command}'s contract for running in the script's own shell. */
    public static Command inline(String script) {
      return new Command(script, true);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Command c && java.util.Objects.equals(c.script, script);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hashCode(script);
    }
  }

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

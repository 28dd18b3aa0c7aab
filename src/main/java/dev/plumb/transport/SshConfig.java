package dev.plumb.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The part of OpenSSH's client configuration (ssh_config(5)) that plumb reads, as ssh(1) reads it:
 * {@code Host} blocks with {@code *}, {@code ?} and {@code !} patterns (case counts), options
 * before the first block apply to every host, for each option the first value obtained wins except
 * the cumulative {@code IdentityFile} and {@code UserKnownHostsFile}, {@code Include} of files and
 * globs (relative to ~/.ssh; inside a block only when the block matches). {@code Match} blocks are
 * not supported: each one is skipped with a warning.
 *
 * <p>plumb's own, not JGit's {@code OpenSshConfigFile}: that class is in JGit's internal packages,
 * with no promise to stay.
 */
final class SshConfig {
  /** Options whose every value counts, in order; all others keep their first value. */
  private static final Set<String> CUMULATIVE = Set.of("identityfile", "userknownhostsfile");
  private static final int MAX_INCLUDE_DEPTH = 16;

  private final Path file;
  private final Path sshDir;
  private final Consumer<String> warnings;

  /**
   * @param file the config file (missing: an empty config)
   * @param sshDir where relative {@code Include} paths are looked for (~/.ssh for a user's config)
   * @param warnings told of what is read but not supported ({@code Match}), once per lookup
   */
  SshConfig(Path file, Path sshDir, Consumer<String> warnings) {
    this.file = file;
    this.sshDir = sshDir;
    this.warnings = warnings;
  }

  /** The options for {@code host} (the name as given, not a HostName): lower-case keyword to values. */
  Options lookup(String host) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    if (file != null && Files.isRegularFile(file)) {
      read(file, host, values, false, 0);
    }
    return new Options(values);
  }

  /** The options one host obtained. */
  record Options(Map<String, List<String>> values) {
    Options {
      values = Map.copyOf(values);
    }

    /** The value of a single-valued option (its first argument), or null. */
    String get(String keyword) {
      List<String> v = values.get(keyword.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Every value of a cumulative option, in the order obtained. */
    List<String> all(String keyword) {
      return values.getOrDefault(keyword.toLowerCase(Locale.ROOT), List.of());
    }
  }

  // neverMatch: the file is included from a block that does not apply, so nothing in it does.
  private void read(Path path, String host, Map<String, List<String>> values, boolean neverMatch, int depth) {
    if (depth > MAX_INCLUDE_DEPTH) {
      throw new IllegalArgumentException(path + ": Include nested more than " + MAX_INCLUDE_DEPTH + " deep (a loop?)");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ssh config " + path, e);
    }
    boolean active = !neverMatch;
    for (int i = 0; i < lines.size(); i++) {
      String where = path + ":" + (i + 1);
      List<String> words = words(lines.get(i), where);
      if (words.isEmpty()) {
        continue;
      }
      String keyword = words.get(0).toLowerCase(Locale.ROOT);
      List<String> args = words.subList(1, words.size());
      switch (keyword) {
        case "host" -> active = !neverMatch && matches(host, args);
        case "match" -> {
          warnings.accept(where + ": Match is not supported by plumb; the options of this block are ignored"
              + " (use Host blocks, or set the values in the inventory)");
          active = false;
        }
        case "include" -> {
          for (String pattern : args) {
            for (Path included : expandInclude(pattern)) {
              read(included, host, values, !active, depth + 1);
            }
          }
        }
        default -> {
          if (!active || args.isEmpty()) {
            continue;
          }
          if (CUMULATIVE.contains(keyword)) {
            values.computeIfAbsent(keyword, k -> new ArrayList<>()).addAll(args);
          } else {
            values.putIfAbsent(keyword, List.copyOf(args));
          }
        }
      }
    }
  }

  /**
   * A Host line's patterns: some plain pattern matches and no negated one does. Case counts, as in
   * ssh(1) 9.2 ({@code ssh -G GPU1} does not match {@code Host gpu*}; found by SshConfigTest).
   */
  static boolean matches(String host, List<String> patterns) {
    boolean matched = false;
    for (String p : patterns) {
      if (p.startsWith("!")) {
        if (glob(host, p.substring(1))) {
          return false;
        }
      } else if (glob(host, p)) {
        matched = true;
      }
    }
    return matched;
  }

  /** {@code *}: any run of characters, {@code ?}: one character; nothing else is special. */
  static boolean glob(String s, String pattern) {
    int si = 0;
    int pi = 0;
    int star = -1;
    int mark = 0;
    while (si < s.length()) {
      if (pi < pattern.length() && (pattern.charAt(pi) == '?' || pattern.charAt(pi) == s.charAt(si))) {
        si++;
        pi++;
      } else if (pi < pattern.length() && pattern.charAt(pi) == '*') {
        star = pi++;
        mark = si;
      } else if (star >= 0) {
        pi = star + 1;
        si = ++mark;
      } else {
        return false;
      }
    }
    while (pi < pattern.length() && pattern.charAt(pi) == '*') {
      pi++;
    }
    return pi == pattern.length();
  }

  private List<Path> expandInclude(String pattern) {
    String expanded = pattern.equals("~") || pattern.startsWith("~/")
        ? System.getProperty("user.home") + pattern.substring(1) : pattern;
    Path path = Path.of(expanded);
    if (!path.isAbsolute()) {
      path = (sshDir != null ? sshDir : file.toAbsolutePath().getParent()).resolve(path);
    }
    String name = path.getFileName().toString();
    if (name.indexOf('*') < 0 && name.indexOf('?') < 0) {
      return Files.isRegularFile(path) ? List.of(path) : List.of();
    }
    // A glob in the last component, as glob(3) would expand it there, sorted as it sorts.
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(path.getParent())) {
      try (DirectoryStream<Path> dir = Files.newDirectoryStream(path.getParent())) {
        for (Path p : dir) {
          String n = p.getFileName().toString();
          if (!n.startsWith(".") && glob(n, name) && Files.isRegularFile(p)) {
            found.add(p);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + path.getParent() + " for Include " + pattern, e);
      }
    }
    found.sort(null);
    return found;
  }

  /**
   * A line's keyword and arguments: {@code Keyword arg...} or {@code Keyword=arg}; double-quoted
   * arguments may hold spaces; an argument starting with {@code #} starts a comment.
   */
  static List<String> words(String line, String where) {
    String s = line.strip();
    if (s.isEmpty() || s.startsWith("#")) {
      return List.of();
    }
    int n = s.length();
    int i = 0;
    while (i < n && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '=') {
      i++;
    }
    List<String> words = new ArrayList<>();
    words.add(s.substring(0, i));
    i = skipSpace(s, i);
    if (i < n && s.charAt(i) == '=') {
      i = skipSpace(s, i + 1);
    }
    while (i < n) {
      if (s.charAt(i) == '#') {
        break;
      }
      if (s.charAt(i) == '"') {
        int close = s.indexOf('"', i + 1);
        if (close < 0) {
          throw new IllegalArgumentException(where + ": unclosed quote in the ssh config");
        }
        words.add(s.substring(i + 1, close));
        i = close + 1;
      } else {
        int start = i;
        while (i < n && !Character.isWhitespace(s.charAt(i))) {
          i++;
        }
        words.add(s.substring(start, i));
      }
      i = skipSpace(s, i);
    }
    return words;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }
}

package dev.plumb.cli;

import dev.plumb.ledger.HostRecords;
import dev.plumb.ledger.Ledger;
import dev.plumb.ledger.RunLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "log", mixinStandardHelpOptions = true,
    description = {
      "List recorded runs per host, newest first.", "",
      "For each run: time, verb, verdict, the playbook commit (+dirty when the work tree differed from it),"
          + " changes and the run id for `plumb show`."
    },
    footer = {"", "Examples:",
      "  plumb log                        # every host of the ledger here",
      "  plumb log -l 'lab0*' --since 2d  # hosts lab0…, runs of the last two days",
      "  plumb log -C ~/playbooks -l lab01 --since 2026-11-01",
      "  plumb log --fetch ssh://git@git.example.org/ops/playbooks.git",
      "", "Exit: 0; 1 bad input or no git repository."})
final class LogCommand implements Callable<Integer> {
  @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN",
      description = "Only hosts matching: names or globs (*, ?) separated by ',' or ':'; !x leaves x out.")
  String limit;

  @Option(names = "--since", paramLabel = "DATE",
      description = "Only runs since DATE: 2026-11-29, 2026-11-29T18:00:00Z, or an age such as 90m, 12h, 7d.")
  String since;

  @Option(names = "-C", paramLabel = "DIR", defaultValue = ".",
      description = "The git repository (or a directory in it) whose ledger to read (default: the current directory).")
  Path repository;

  @Option(names = "--fetch", paramLabel = "URL",
      description = "First fetch every host's record ref (refs/plumb/hosts/*, written by plumb pull) from the"
          + " repository at URL into this one, so the log shows pulled hosts beside pushed ones.")
  String fetchUrl;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Instant from;
    try {
      from = since == null ? Instant.MIN : parseSince(since, Instant.now());
    } catch (IllegalArgumentException e) {
      err.println("plumb: " + e.getMessage());
      return 1;
    }
    List<RunLog.Run> runs;
    try {
      runs = RunLog.read(repository, refs());
    } catch (IOException e) {
      err.println("plumb: cannot read the ledger: " + e.getMessage());
      err.println("    fix: run plumb log inside the repository that holds your playbooks, or give it with -C DIR");
      return 1;
    }
    Map<String, List<String>> byHost = new LinkedHashMap<>();
    for (RunLog.Run run : runs) {
      if (run.time().isBefore(from)) {
        continue;
      }
      for (RunLog.HostRun h : run.hosts()) {
        if (limit == null || matches(limit, h.name())) {
          byHost.computeIfAbsent(h.name(), k -> new ArrayList<>()).add(line(run, h));
        }
      }
    }
    if (byHost.isEmpty()) {
      err.println("plumb: no recorded run" + (limit == null ? "" : " of a host matching '" + limit + "'")
          + (since == null ? "" : " since " + since) + " in " + Ledger.REF);
      err.println("    fix: apply records by default in a git repository; plan and check record with --record");
      return 0;
    }
    byHost.keySet().stream().sorted().forEach(host -> {
      out.println(host);
      byHost.get(host).forEach(l -> out.println("  " + l));
    });
    out.flush();
    return 0;
  }

  /**
   * The ledger's ref and every host's own record ref: a host that converges itself (plumb pull)
   * records to refs/plumb/hosts/NAME, so the fleet view is the same for pushed and pulled hosts.
   */
  private List<String> refs() throws IOException {
    try (org.eclipse.jgit.lib.Repository repo = dev.plumb.ledger.RepoState.open(repository)
        .orElseThrow(() -> new IOException(repository + " is not in a git repository"))) {
      if (fetchUrl != null) {
        HostRecords.fetchAll(repo, fetchUrl, 60);
      }
      List<String> refs = new ArrayList<>(List.of(Ledger.REF));
      for (org.eclipse.jgit.lib.Ref ref : repo.getRefDatabase().getRefsByPrefix(HostRecords.PREFIX)) {
        refs.add(ref.getName());
      }
      return refs;
    }
  }

  private static String line(RunLog.Run run, RunLog.HostRun h) {
    String commit = run.source().map(s -> s.shortForm()).orElse("(not in git)");
    return String.format(java.util.Locale.ROOT, "%s  %-5s  %-11s  %-18s  %3d change%s  %s", TIME.format(run.time()),
        run.verb(), h.outcome(), commit, h.changes(), h.changes() == 1 ? " " : "s", run.id());
  }

  /** Names and globs separated by ',' or ':'; a term starting with '!' excludes. */
  static boolean matches(String pattern, String name) {
    boolean anyPositive = false;
    boolean included = false;
    for (String term : pattern.split("[,:]")) {
      if (term.isBlank()) {
        continue;
      }
      if (term.startsWith("!")) {
        if (glob(term.substring(1)).matcher(name).matches()) {
          return false;
        }
      } else {
        anyPositive = true;
        included |= glob(term).matcher(name).matches();
      }
    }
    return !anyPositive || included;
  }

  private static Pattern glob(String term) {
    StringBuilder re = new StringBuilder();
    for (char c : term.toCharArray()) {
      re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(re.toString());
  }

  /** A date (midnight UTC), an instant, or an age before {@code now}. */
  static Instant parseSince(String text, Instant now) {
    var age = java.util.regex.Pattern.compile("(\\d+)([mhd])").matcher(text);
    if (age.matches()) {
      long n = Long.parseLong(age.group(1));
      Duration d = switch (age.group(2)) {
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return now.minus(d);
    }
    try {
      return text.contains("T") ? Instant.parse(text) : LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("--since takes a date (2026-11-29), an instant (2026-11-29T18:00:00Z) or an age "
          + "(90m, 12h, 7d), not '" + text + "'");
    }
  }
}

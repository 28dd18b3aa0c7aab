package dev.plumb.cli;

import dev.plumb.apply.HostResult;
import dev.plumb.apply.Mode;
import dev.plumb.apply.RunOptions;
import dev.plumb.apply.Runner;
import dev.plumb.inventory.Inventory;
import dev.plumb.ledger.HostRecords;
import dev.plumb.load.Catalog;
import dev.plumb.load.LoadRequest;
import dev.plumb.load.Loader;
import dev.plumb.load.YamlModuleSpec;
import dev.plumb.modules.ModuleRegistry;
import dev.plumb.plan.Planner;
import dev.plumb.pull.GitSource;
import dev.plumb.pull.PullException;
import dev.plumb.pull.ThisHost;
import dev.plumb.pull.Trust;
import dev.plumb.source.InputException;
import dev.plumb.source.Problem;
import dev.plumb.text.Sensitive;
import dev.plumb.transport.Connections;
import dev.plumb.transport.LocalConnection;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code plumb pull}: fetch, verify and converge this machine, then push its run record ({@link
 * PullRecord}).
 *
 * <p>Over 250 lines because its fourteen options, with their help, are its interface; the run is
 * {@link #call}, one step after another as the help describes them.
 */
@Command(name = "pull", mixinStandardHelpOptions = true,
    description = {
      "Converge this machine from a git repository (for a systemd timer).", "",
      "Fetches a ref into a local cache, verifies its signature (--verify-signature), loads the playbook and"
          + " inventory from that commit, finds this machine in the inventory and applies (or --check) over the"
          + " local connection; then pushes the run record to refs/plumb/hosts/<host> of the repository. Meant"
          + " for a systemd timer (contrib/systemd/plumb-pull.timer)."
    },
    footer = {"", "Examples:",
      "  plumb pull --url ssh://git@git.example/fleet.git \\",
      "      --playbook playbooks/gpu-hypervisor.yml -i inventories/prod.yml",
      "  plumb pull --url /srv/git/fleet.git --playbook site.yml --check \\",
      "      --verify-signature /etc/plumb/allowed_signers",
      "",
      "Exit: 0 converged; 2 drift (--check); 1 bad input or an untrusted commit (nothing ran); 3 this host"
          + " failed, the record could not be pushed, or the fetch failed (then the cached commit was checked,"
          + " nothing changed)."})
final class PullCommand implements Callable<Integer> {
  @Option(names = "--url", required = true, paramLabel = "URL",
      description = "The playbook repository: ssh://, https://, file:// or a path.")
  String url;

  @Option(names = "--ref", defaultValue = "main", paramLabel = "REF",
      description = "Branch (or full ref name) to converge to (default: ${DEFAULT-VALUE}).")
  String ref;

  @Option(names = "--playbook", required = true, paramLabel = "PATH", description = "The playbook, relative to the repository's root.")
  String playbook;

  @Option(names = {"-i", "--inventory"}, paramLabel = "PATH",
      description = "The inventory, relative to the repository's root. Default: localhost only.")
  String inventory;

  @Option(names = "--host", paramLabel = "NAME",
      description = "This machine's inventory name. Default: its host name, else the host whose ansible_host is one of its addresses.")
  String host;

  @Option(names = "--check", description = "Check only: report drift, change nothing.")
  boolean check;

  @Option(names = "--cache", defaultValue = "/var/lib/plumb/repo", paramLabel = "DIR",
      description = "The local cache (a bare git repository and the checkout of the loaded commit). Default: ${DEFAULT-VALUE}.")
  Path cache;

  @Option(names = "--verify-signature", paramLabel = "ALLOWED_SIGNERS",
      description = "Only run commits with a valid SSH signature by a key of this OpenSSH allowed-signers file.")
  Path allowedSigners;

  @Option(names = "--records-url", paramLabel = "URL",
      description = "Where run records are pushed (refs/plumb/hosts/<host>). Default: --url.")
  String recordsUrl;

  @Option(names = "--no-record", description = "Do not push the run record.")
  boolean noRecord;

  @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
      description = "Longest a fetch or push may wait on the network (default: ${DEFAULT-VALUE}).")
  int timeout;

  @Option(names = {"-e", "--extra-vars"}, paramLabel = "KEY=VALUE", description = "A variable with the highest precedence; repeatable.")
  List<String> extraVars = new ArrayList<>();

  @Option(names = "--tags", paramLabel = "TAG", split = ",", description = "Only resources with one of these tags.")
  List<String> tags = new ArrayList<>();

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "Output: text, json or markdown.")
  String format;

  @Option(names = "--no-color", description = "No colour.")
  boolean noColor;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    try {
      Formats.check(format);
    } catch (IllegalArgumentException e) {
      err.println("plumb: " + e.getMessage());
      return 1;
    }
    Trust trust = allowedSigners == null ? new Trust.Any() : new Trust.AllowedSigners(allowedSigners);
    dev.plumb.ledger.GitSystemConfig.useWithoutRunningGit();
    try (GitSource source = GitSource.open(cache)) {
      // 1. fetch and verify; on a fetch failure fall back to checking the cached commit.
      PullException fetchFailure = null;
      ObjectId commit;
      try {
        commit = source.fetch(url, ref, timeout);
        RevCommit parsed = source.parse(commit);
        trust.check(source.repository(), parsed);
      } catch (PullException.Fetch e) {
        fetchFailure = e;
        Optional<ObjectId> cached = source.loaded();
        if (cached.isEmpty()) {
          report(err, e);
          err.println("plumb: no commit was ever loaded into " + cache + ", so there is nothing to check either");
          return 3;
        }
        commit = cached.get();
        // The cached commit passed verification when it was loaded; the trust file may have changed since.
        trust.check(source.repository(), source.parse(commit));
      }
      String shortId = commit.name().substring(0, 12);
      err.println((fetchFailure == null ? "fetched " : "using the cached ") + shortId + " (" + GitSource.fullRef(ref) + ")");

      // 2. load from a whole checkout of that commit.
      Path tree = source.checkout(commit);
      Path playbookPath = inTree(tree, playbook, "--playbook");
      Optional<Path> inventoryPath = inventory == null ? Optional.empty() : Optional.of(inTree(tree, inventory, "--inventory"));
      if (playbookPath == null || inventory != null && inventoryPath.get() == null) {
        return 1;
      }
      if (!Files.isRegularFile(playbookPath)) {
        err.println("plumb: commit " + shortId + " has no playbook " + playbook);
        err.println("    fix: give --playbook as a path from the repository's root");
        return 1;
      }
      if (inventoryPath.isPresent() && !Files.exists(inventoryPath.get())) {
        err.println("plumb: commit " + shortId + " has no inventory " + inventory);
        err.println("    fix: give --inventory as a path from the repository's root");
        return 1;
      }
      ModuleRegistry registry = Builtins.registry();
      Catalog catalog;
      String me;
      try {
        Inventory inv = inventoryPath.map(Inventory::load).orElseGet(Inventory::implicit);
        if (inventoryPath.isPresent()) {
          me = ThisHost.find(inv.hosts(), Optional.ofNullable(host), ThisHost.hostname(), ThisHost.addresses()).name();
        } else {
          me = "localhost";
        }
        catalog = Loader.load(new LoadRequest(playbookPath, inventoryPath, extraVars, Optional.of(me),
            new LinkedHashSet<>(tags), registry), YamlModuleSpec::module);
      } catch (InputException e) {
        err.print(TextRenderer.problems(e.problems()));
        long errors = e.problems().stream().filter(Problem::isError).count();
        err.println("plumb: " + errors + " error" + (errors == 1 ? "" : "s") + " in commit " + shortId + "; nothing was run.");
        return 1;
      }
      if (fetchFailure == null) {
        source.markLoaded(commit);
      }
      catalog.warnings().forEach(w -> err.println(w.render()));
      String recordName = inventoryPath.isPresent() ? me : Optional.ofNullable(host).orElseGet(ThisHost::hostname);

      // 3. run over the local connection, through the same apply as a push run: apply takes the
      // host's lease before changing anything, so a push and a pull never act on the host at once.
      Mode mode = check || fetchFailure != null ? Mode.CHECK : Mode.APPLY;
      Runner runner = new Runner(new Planner(registry.lints()), h -> new LocalConnection(h.name()));
      List<HostResult> results = runner.run(catalog, RunOptions.defaults(mode).withForks(1), r -> {});
      RunReport report = new RunReport(mode, playbook, results, (System.nanoTime() - start) / 1e9);
      int exit = report.exitCode(false);
      // Every output goes through the one redaction step: no secret is printed or recorded.
      Sensitive secrets = catalog.sensitive().plus(Sensitive.of(givenSecrets()));
      String json = secrets.redact(new JsonRenderer().render(report, exit));
      Style style = Style.detect(noColor);
      out.print(secrets.redact(switch (format.toLowerCase(Locale.ROOT)) {
        case "json" -> json;
        case "markdown" -> new MarkdownRenderer().render(report);
        default -> new TextRenderer(style).render(report);
      }));
      out.flush();

      // 4. the record, on the host's own ref.
      if (!noRecord) {
        String target = recordsUrl == null ? url : recordsUrl;
        Instant now = Instant.now();
        try {
          ObjectId id = HostRecords.push(source.repository(), target, recordName,
              "plumb pull " + report.verb() + " on " + recordName + ": " + outcome(results) + " at " + commit.name()
                  + (fetchFailure == null ? "" : " (fetch failed)"),
              PullRecord.files(json, results, commit, fetchFailure, secrets, recordName, now), now, timeout);
          err.println("recorded in " + HostRecords.ref(recordName) + " at " + id.name().substring(0, 12));
        } catch (IOException | IllegalArgumentException e) {
          err.println("plumb: could not push the run record: " + e.getMessage());
          err.println("    fix: check that " + target + " accepts pushes to " + HostRecords.PREFIX + "*");
          exit = exit == 0 ? 3 : exit;
        }
      }
      if (fetchFailure != null) {
        report(err, fetchFailure);
        err.println("plumb: checked the cached commit " + shortId + " instead; nothing was changed");
        return 3;
      }
      return exit;
    } catch (PullException e) {
      report(err, e);
      return e instanceof PullException.Fetch ? 3 : 1;
    } catch (IOException e) {
      err.println("plumb: the cache " + cache + " could not be used: " + e.getMessage());
      err.println("    fix: check that " + cache + " is a writable directory (or give --cache DIR)");
      return 3;
    }
  }

  private static void report(PrintWriter err, PullException e) {
    err.println("plumb: " + e.getMessage());
    err.println("    fix: " + e.fix());
  }

  private Path inTree(Path tree, String relative, String option) {
    Path p = tree.resolve(relative).normalize();
    if (Path.of(relative).isAbsolute() || !p.startsWith(tree)) {
      spec.commandLine().getErr().println("plumb: " + option + " " + relative + " must be a path inside the repository");
      spec.commandLine().getErr().println("    fix: give it relative to the repository's root, e.g. playbooks/site.yml");
      return null;
    }
    return p;
  }

  private static String outcome(List<HostResult> results) {
    return results.isEmpty() ? "no resources" : results.get(0).outcome().word();
  }

  /** Secrets given through the environment (as for push runs): redacted wherever they would appear. */
  private static List<String> givenSecrets() {
    List<String> given = new ArrayList<>();
    for (String name : List.of(Connections.BECOME_PASSWORD_ENV, Connections.SSH_PASSWORD_ENV, Connections.KEY_PASSPHRASE_ENV)) {
      String v = System.getenv(name);
      if (v != null && !v.isEmpty()) {
        given.add(v);
      }
    }
    return given;
  }
}

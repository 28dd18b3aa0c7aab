package dev.plumb.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code plumb} command: plan, check and apply playbooks; read facts; lint; list modules. */
@Command(
    name = "plumb",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "A declarative state engine for GPU hosts: reads each host's facts over SSH, plans the"
          + " difference in dependency order, and shows it (plan), checks it (check) or applies it (apply).",
      ""
    },
    footer = {
      "",
      "Exit codes: 0 converged or no changes; 2 changes or drift (check, plan --detailed-exitcode);"
          + " 1 bad input or usage (no host contacted); 3 a host failed or was unreachable.",
      "",
      "Examples:",
      "  plumb plan playbooks/gpu-hypervisor.yml",
      "  plumb check -i inventories/lab.yml playbooks/gpu-hypervisor.yml",
      "  plumb apply -i inventories/lab.yml --reboot if-needed \\",
      "      playbooks/gpu-hypervisor.yml",
      "  source <(plumb completion bash)   # completion of verbs and options in bash"
    })
public final class Main implements Runnable {
  public static final String VERSION = "0.1.0";

  /**
   * The verbs, by name, in the order the usage lists them. Registered lazily: building a verb's
   * picocli model reflects over its options and mixins, and building all of them cost more CPU at
   * every start than the whole planning of a one-host check, so a run names its verb and only that
   * one is built ({@link #verbs}).
   */
  static final Map<String, Class<?>> VERBS = verbs();

  private static Map<String, Class<?>> verbs() {
    Map<String, Class<?>> v = new LinkedHashMap<>();
    v.put("plan", PlanCommand.class);
    v.put("check", CheckCommand.class);
    v.put("apply", ApplyCommand.class);
    v.put("pull", PullCommand.class);
    v.put("facts", FactsCommand.class);
    v.put("inventory", InventoryCommand.class);
    v.put("lint", LintCommand.class);
    v.put("modules", ModulesCommand.class);
    v.put("log", LogCommand.class);
    v.put("show", ShowCommand.class);
    v.put("completion", CompletionCommand.class);
    v.put("drift", DriftCommand.class);
    v.put("watch", WatchCommand.class);
    v.put("help", CommandLine.HelpCommand.class);
    return Collections.unmodifiableMap(v);
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: plan, check, apply, pull, facts, inventory, lint, modules, log, show, completion, drift or watch");
  }

  public static void main(String[] args) {
    if (connects(args)) {
      // Overlaps SSH's set-up with reading the command line and the input; contacts no host.
      dev.plumb.transport.Connections.warmUp();
    }
    System.exit(execute(args));
  }

  /** The verbs that may open SSH connections, unless they only print help or the version or plan from recorded facts. */
  private static final java.util.Set<String> CONNECTING = java.util.Set.of("plan", "check", "apply", "facts", "drift", "watch");

  static boolean connects(String... args) {
    if (args.length == 0 || !CONNECTING.contains(args[0])) {
      return false;
    }
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version") || a.startsWith("--facts-from")) {
        return false;
      }
    }
    return true;
  }

  /** Runs the CLI and returns the exit code (for tests, which must not call System.exit). */
  public static int execute(String... args) {
    return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs the CLI writing to the given streams (for in-process tests). */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    return execute(out, err, System.getenv("COLUMNS"), args);
  }

  /**
   * The same, with help text fitted to {@code columns} (COLUMNS; when it is not a number, the
   * terminal's width, or 80 without a terminal).
   */
  static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String columns, String... args) {
    CommandLine cli = new CommandLine(new Main());
    // No lambda or method reference of picocli's types in this class: picocli's classes are of Java
    // 5's class-file version, and resolving such a lambda when the class-data-sharing archive is
    // dumped links them, which leaves picocli.CommandLine (60 KB) out of the archive.
    for (Class<?> verb : verbs(args)) {
      cli.addSubcommand(verb);
    }
    OptionalInt width = width(columns);
    if (width.isPresent()) {
      cli.setUsageHelpWidth(width.getAsInt());
    } else {
      cli.setUsageHelpAutoWidth(true);
    }
    // "-e @vars.yml" is a vars file (read by the loader, with its size limit), not an argument file:
    // picocli's expansion printed a stack trace for @/etc and hung on @/dev/zero.
    cli.setExpandAtFiles(false);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(new ExitOne());
    cli.setParameterExceptionHandler(new UsageError());
    return cli.execute(args);
  }

  /**
   * The verbs to build for these arguments: the one named first, when it is a verb that needs no
   * other (help lists them all, completion describes them all); otherwise every verb, so that the
   * usage, "did you mean" and the error for a missing verb are exactly picocli's for the full set;
   * none for the version alone.
   */
  static java.util.Collection<Class<?>> verbs(String... args) {
    // The version alone prints one line that names no verb: building all 13 took most of its 0.4 s.
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      return List.of();
    }
    if (args.length > 0 && VERBS.containsKey(args[0]) && !args[0].equals("help") && !args[0].equals("completion")) {
      return List.of(VERBS.get(args[0]));
    }
    return VERBS.values();
  }

  /** COLUMNS as a help width: a number, at least picocli's narrowest (55); else empty. */
  static OptionalInt width(String columns) {
    if (columns == null || !columns.strip().matches("[0-9]{1,4}")) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Math.max(55, Integer.parseInt(columns.strip())));
  }

  /** Every exception a verb throws exits 1. */
  static final class ExitOne implements CommandLine.IExitCodeExceptionMapper {
    @Override
    public int getExitCode(Throwable exception) {
      return 1;
    }
  }

  /** A usage error: "plumb: message" and where to find help, exit 1. */
  static final class UsageError implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
      CommandLine command = ex.getCommandLine();
      command.getErr().println("plumb: " + ex.getMessage());
      command.getErr().println("Try 'plumb " + (command.getCommandName().equals("plumb") ? "" : command.getCommandName() + " ") + "--help'.");
      return 1;
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"plumb " + VERSION + " (Java " + Runtime.version() + ")"};
    }
  }
}

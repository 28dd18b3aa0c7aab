package dev.plumb.cli;

import dev.plumb.ledger.Ledger;
import dev.plumb.ledger.RunLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Print a recorded run's report as it was made: text, json, markdown or junit (check and apply).",
    footer = {"", "Examples:",
      "  plumb log -l lab01                       # find the run id",
      "  plumb show 20261129T201502.113Z-apply-3f0c",
      "  plumb show --format junit 20261129T2015 > report.xml",
      "", "A unique prefix of a run id is enough.",
      "", "Exit: 0; 1 no such run, or no git repository."})
final class ShowCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN", description = "The run id (as plumb log prints it) or a unique prefix.")
  String run;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text, json, markdown or junit (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "-C", paramLabel = "DIR", defaultValue = ".",
      description = "The git repository (or a directory in it) whose ledger to read (default: the current directory).")
  Path repository;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String suffix = switch (format.toLowerCase(Locale.ROOT)) {
      case "text" -> ".txt";
      case "json" -> ".json";
      case "markdown" -> ".md";
      case "junit" -> ".xml";
      default -> null;
    };
    if (suffix == null) {
      err.println("plumb: --format takes text, json, markdown or junit, not '" + format + "'");
      return 1;
    }
    try {
      out.print(new String(RunLog.report(repository, List.of(Ledger.REF), run, suffix), StandardCharsets.UTF_8));
      out.flush();
      return 0;
    } catch (IOException e) {
      err.println("plumb: " + e.getMessage());
      return 1;
    }
  }
}

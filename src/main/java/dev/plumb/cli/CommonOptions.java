package dev.plumb.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Options every verb that reads a playbook shares: the input (lint takes only these). A verb is
 * offered only the options that do something for it: {@link HostOptions} for the verbs that
 * contact hosts, {@link ReportOptions} for those that also render a report.
 */
class CommonOptions {
  @picocli.CommandLine.Mixin VaultOptions vault = new VaultOptions();

  @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook (YAML).")
  Path playbook;

  @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY",
      description = "Inventory file (YAML or INI) or directory. Default: localhost only, local connection.")
  Path inventory;

  @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN",
      description = "Only hosts matching this pattern (name, group, glob, a:b, !x, &x).")
  String limit;

  @Option(names = {"-e", "--extra-vars"}, paramLabel = "KEY=VALUE",
      description = "A variable with the highest precedence; repeatable; @file.yml loads a file.")
  List<String> extraVars = new ArrayList<>();

  @Option(names = "--tags", paramLabel = "TAG", split = ",",
      description = "Only resources with one of these tags.")
  List<String> tags = new ArrayList<>();

  // What the options of the verbs that contact hosts (HostOptions) and render a report
  // (ReportOptions) set; a verb without those options (lint) keeps these values.
  int forks = 50;
  boolean acceptNewHostKeys;
  boolean askBecomePass;
  boolean askKeyPassphrase;
  String format = "text";
  boolean noColor;

  /** The environment plus secrets asked for at the terminal (set by Session); null when none were asked. */
  java.util.Map<String, String> secretsEnv;

  Set<String> tagSet() {
    return new LinkedHashSet<>(tags);
  }

  /** -v given how many times: 0 for verbs that contact no host. */
  int verbosity() {
    return 0;
  }

  /** facts, plan, check, apply: how hosts are reached, and what is shown while they are. */
  static class HostOptions extends CommonOptions {
    @Option(names = "-v", description = "Show each command as it runs on each host, with its time and exit status;"
        + " -vv also the fact script. On stderr; secrets are shown as (sensitive) and stdin never.")
    boolean[] verbose = new boolean[0];

    @Option(names = "--forks", paramLabel = "N", defaultValue = "50",
        description = "Hosts worked on at once (default: ${DEFAULT-VALUE}).")
    void forks(int n) {
      forks = n;
    }

    @Option(names = "--accept-new-host-keys",
        description = "Trust and record the host key of a host never seen before. A changed key is always refused.")
    void acceptNewHostKeys(boolean accept) {
      acceptNewHostKeys = accept;
    }

    @Option(names = {"-K", "--ask-become-pass"},
        description = "Ask once for the sudo password (become); it goes to sudo on stdin, never into argv or output."
            + " Or set PLUMB_BECOME_PASSWORD.")
    void askBecomePass(boolean ask) {
      askBecomePass = ask;
    }

    @Option(names = "--ask-key-passphrase",
        description = "Ask once for the passphrase of encrypted SSH keys. Or set PLUMB_KEY_PASSPHRASE.")
    void askKeyPassphrase(boolean ask) {
      askKeyPassphrase = ask;
    }

    @Override
    int verbosity() {
      return verbose.length;
    }
  }

  /** plan, check, apply: the report's format and colour. */
  static class ReportOptions extends HostOptions {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
        description = "Output: text, json, markdown or junit (check and apply) (default: ${DEFAULT-VALUE}).")
    void format(String f) {
      format = f;
    }

    @Option(names = "--no-color", description = "No colour, even on a terminal (NO_COLOR is honoured too).")
    void noColor(boolean no) {
      noColor = no;
    }
  }
}

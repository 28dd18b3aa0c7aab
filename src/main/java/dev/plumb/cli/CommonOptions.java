package dev.plumb.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options every verb that reads a playbook shares. */
final class CommonOptions {
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

  @Option(names = "--tags", paramLabel = "TAG[,TAG…]", split = ",",
      description = "Only resources with one of these tags.")
  List<String> tags = new ArrayList<>();

  @Option(names = "--forks", paramLabel = "N", defaultValue = "50",
      description = "Hosts worked on at once (default: ${DEFAULT-VALUE}).")
  int forks;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "Output: text, json, markdown or junit (check and apply) (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--no-color", description = "No colour, even on a terminal (NO_COLOR is honoured too).")
  boolean noColor;

  @Option(names = "--accept-new-host-keys",
      description = "Trust and record the host key of a host never seen before. A changed key is always refused.")
  boolean acceptNewHostKeys;

  @Option(names = {"-K", "--ask-become-pass"},
      description = "Ask once for the sudo password (become); it goes to sudo on stdin, never into argv or output. Or set PLUMB_BECOME_PASSWORD.")
  boolean askBecomePass;

  @Option(names = "--ask-key-passphrase",
      description = "Ask once for the passphrase of encrypted SSH keys. Or set PLUMB_KEY_PASSPHRASE.")
  boolean askKeyPassphrase;

  /** The environment plus secrets asked for at the terminal (set by Session); null when none were asked. */
  java.util.Map<String, String> secretsEnv;

  Set<String> tagSet() {
    return new LinkedHashSet<>(tags);
  }
}

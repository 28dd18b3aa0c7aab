package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactDef;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleSpec;
import dev.plumb.modules.Param;
import dev.plumb.modules.Params;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Mark;
import dev.plumb.source.Problems;
import dev.plumb.source.Value;
import dev.plumb.text.TextDiff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kernel_cmdline}: tokens on the kernel command line, converged in three places kept apart:
 * configured (/etc/default/grub, grub.d), next boot (grub.cfg or grubby) and running (/proc/cmdline).
 *
 * <p>One class over 250 lines because the three places are one decision: which files are edited
 * depends on whether grubby owns the next boot, and whether grub.cfg is regenerated depends on both
 * the edit and the next boot's line; pci_passthrough converges its vfio-pci.ids= through
 * {@link #converge}, so the grub files are edited one way only.
 */
public final class KernelCmdline implements Module {
  static final String DEFAULT_GRUB = "/etc/default/grub";
  static final String GRUB_CFG = "/boot/grub/grub.cfg";
  static final String GRUB2_CFG = "/boot/grub2/grub.cfg";
  static final String PROC_CMDLINE = "/proc/cmdline";
  /** Where EL9's kernel-install takes a newly installed kernel's arguments (else from /proc/cmdline). */
  static final String KERNEL_CMDLINE = "/etc/kernel/cmdline";
  static final String GRUB_D_GLOB = "/etc/default/grub.d/*.cfg";
  static final String EFI_CFG_GLOB = "/boot/efi/EFI/*/grub.cfg";
  static final FactDef<Map<String, String>> GRUB_D = GpuFacts.listing(GRUB_D_GLOB);
  static final FactDef<Map<String, String>> EFI_CFGS = GpuFacts.listing(EFI_CFG_GLOB);
  static final Fact.Command GRUBBY = Fact.Command.inline("command -v grubby >/dev/null 2>&1 && grubby --info=DEFAULT");
  static final String BLS_ENTRIES = "/boot/loader/entries/*.conf";

  private static final ModuleSpec SPEC = ModuleSpec.of("kernel_cmdline",
      "Kernel command line tokens in GRUB_CMDLINE_LINUX and the next boot's grub.cfg or BLS entries", "present",
      Param.optional("present", Param.Type.STRINGS, null,
          "tokens (key or key=value) the command line must contain; a token with the same key and another value is replaced in place"),
      Param.optional("absent", Param.Type.STRINGS, null,
          "tokens (key=value: exactly that token) or bare keys (every value) the command line must not contain"));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public void validate(Params params, Problems problems) {
    if (params.strings("present").isEmpty() && params.strings("absent").isEmpty()) {
      problems.error(params.mark(), "kernel_cmdline needs present or absent tokens", "add present: [intel_iommu=on]");
    }
    KernelParameters kp = KernelParameters.get();
    for (TokenAt t : tokens(params, "present")) {
      if (!t.text().matches("[^\\s\"'\\\\$`]+")) {
        problems.error(t.mark(), "kernel_cmdline token '" + t.text() + "' contains a space, quote, backslash or $",
            "write one token per list item, without quotes");
        continue;
      }
      String key = KernelParameters.normal(CmdlineTokens.key(t.text()));
      if ((key.equals("modprobe.blacklist") || key.equals("module_blacklist"))
          && List.of(t.text().substring(t.text().indexOf('=') + 1).split(",")).contains("snd_hda_intel")) {
        problems.warning(t.mark(), "blacklisting snd_hda_intel disables the host's onboard audio too; "
            + "bind the GPU's audio function to vfio-pci instead (pci_passthrough)", "remove snd_hda_intel from " + key);
      }
      kp.lint(t.text()).ifPresent(f -> problems.add(f.error()
          ? dev.plumb.source.Problem.error(t.mark(), f.message(), f.fix())
          : dev.plumb.source.Problem.warning(t.mark(), f.message(), f.fix())));
    }
    List<String> seen = new ArrayList<>();
    for (TokenAt t : tokens(params, "present")) {
      String other = seen.stream().filter(s -> CmdlineTokens.conflicts(t.text(), s)).findFirst().orElse(null);
      if (other != null) {
        problems.error(t.mark(), "kernel_cmdline present has both " + other + " and " + t.text(),
            "keep one value per key");
      }
      seen.add(t.text());
    }
    for (TokenAt t : tokens(params, "absent")) {
      if (seen.stream().anyMatch(p -> CmdlineTokens.matchesAbsent(t.text(), p))) {
        problems.error(t.mark(), "kernel_cmdline token " + t.text() + " is both present and absent", "remove it from one list");
      }
      if (!t.text().matches("[^\\s\"'\\\\$`]+")) {
        problems.error(t.mark(), "kernel_cmdline token '" + t.text() + "' contains a space, quote, backslash or $",
            "write one token per list item, without quotes");
      }
    }
  }

  /** A token with the place it was written. */
  record TokenAt(String text, Mark mark) {}

  static List<TokenAt> tokens(Params params, String name) {
    List<Value> items = params.items(name);
    if (items.isEmpty()) {
      return params.strings(name).stream().map(s -> new TokenAt(s, params.mark(name))).toList();
    }
    List<TokenAt> out = new ArrayList<>();
    for (Value v : items) {
      if (v instanceof Value.Scalar s) {
        out.add(new TokenAt(s.text().strip(), s.mark()));
      }
    }
    return out;
  }

  @Override
  public List<Fact> facts(Params params) {
    return FACTS;
  }

  static final List<Fact> FACTS = List.of(Fact.file(DEFAULT_GRUB), GRUB_D.fact(), Fact.file(GRUB_CFG), Fact.file(GRUB2_CFG), EFI_CFGS.fact(), GRUBBY,
        Fact.file(KERNEL_CMDLINE), Fact.file(PROC_CMDLINE), GpuFacts.TOOLS);

  @Override
  public Set<String> writes(Params params) {
    return WRITES;
  }

  // grub.d drop-ins are edited where they set the variable; grub-mkconfig writes grub.cfg (an
  // EFI one too on hosts booted that way); on BLS hosts grubby edits the entries and plumb keeps
  // /etc/kernel/cmdline in step for kernels installed later.
  static final Set<String> WRITES = Set.of(DEFAULT_GRUB, GRUB_D_GLOB, GRUB_CFG, GRUB2_CFG, EFI_CFG_GLOB, KERNEL_CMDLINE, BLS_ENTRIES);

  @Override
  public Change diff(Params params, FactSet facts) {
    List<String> present = params.strings("present").stream().map(String::strip).toList();
    List<String> absent = params.strings("absent").stream().map(String::strip).toList();
    return converge(present, absent, facts);
  }

  /**
   * The command line converged to these tokens, configured and next boot (from {@link #facts}):
   * also how pci_passthrough puts vfio-pci.ids= there when vfio-pci is built in, so the grub
   * files are edited one way only.
   */
  static Change converge(List<String> present, List<String> absent, FactSet facts) {
    Set<String> tools = GpuFacts.tools(facts);
    String want = describe(present, absent);

    // Configured.
    Map<String, String> files = new LinkedHashMap<>();
    facts.text(DEFAULT_GRUB).ifPresent(t -> files.put(DEFAULT_GRUB, t));
    files.putAll(facts.get(GRUB_D));
    List<String> configured = configuredTokens(files);
    Optional<List<String>> grubby = grubbyArgs(facts, tools);

    List<Command> commands = new ArrayList<>();
    StringBuilder diff = new StringBuilder();
    Map<String, String> newFiles = new LinkedHashMap<>();
    List<String> blockers = new ArrayList<>();
    if (!CmdlineTokens.satisfies(configured, present, absent)) {
      if (!files.containsKey(DEFAULT_GRUB) && grubby.isEmpty()) {
        blockers.add(DEFAULT_GRUB + " is missing: cannot configure the kernel command line");
      } else if (files.containsKey(DEFAULT_GRUB) || !files.isEmpty()) {
        newFiles.putAll(editConfigured(files, present, absent));
      }
    }
    if (grubby.isPresent()) {
      kernelCmdlineFile(facts, grubbyRoot(facts), grubby.get(), present, absent).ifPresent(t -> newFiles.put(KERNEL_CMDLINE, t));
    }
    for (Map.Entry<String, String> e : newFiles.entrySet()) {
      String old = files.containsKey(e.getKey()) ? files.get(e.getKey()) : facts.text(e.getKey()).orElse(null);
      diff.append(TextDiff.unified(e.getKey(), old, e.getValue()));
      commands.add(Command.writeFile(e.getKey(), e.getValue(),
          old == null ? null : FactResult.sha256(old.getBytes(java.nio.charset.StandardCharsets.UTF_8)), null));
    }

    // Next boot.
    List<String> notes = new ArrayList<>();
    if (grubby.isPresent()) {
      List<String> args = grubby.get();
      List<String> unwanted = CmdlineTokens.unwanted(args, present, absent);
      List<String> missing = CmdlineTokens.missing(args, present, absent);
      if (!unwanted.isEmpty()) {
        commands.add(Command.of("grubby", "--update-kernel=ALL", "--remove-args=" + String.join(" ", unwanted)));
      }
      if (!missing.isEmpty()) {
        commands.add(Command.of("grubby", "--update-kernel=ALL", "--args=" + String.join(" ", missing)));
      }
    } else if (tools.contains("grubby")) {
      // grubby is the only reader of BLS entries plumb trusts; when it cannot answer, plumb must not
      // guess (a regenerated grub.cfg would change nothing and every run would regenerate again).
      FactResult.Output out = facts.command(GRUBBY.script());
      blockers.add("cannot read the next boot's command line: grubby --info=DEFAULT "
          + (out.ok() ? "printed no args= line" : "failed (exit " + out.exitStatus() + ")")
          + "; it reads /boot/loader/entries and grubenv, which need root: run with become");
    } else {
      NextBoot next = nextBoot(facts, tools);
      FactResult read = facts.get(EFI_CFGS).containsKey(next.path())
          ? FactResult.content(facts.get(EFI_CFGS).get(next.path())) : facts.get(Fact.file(next.path()));
      boolean missingCfg = read instanceof FactResult.Missing;
      if (read instanceof FactResult.Unreadable) {
        blockers.add("cannot read " + next.path() + " (the next boot's command line): it is not readable by this login"
            + " (mode 0600 on EL hosts); run with become");
      } else if (next.args().isEmpty() && !missingCfg) {
        String text = read instanceof FactResult.Content c ? c.text() : "";
        blockers.add(text.contains("blscfg")
            ? next.path() + " has no linux line: it loads BLS entries (blscfg) from /boot/loader/entries, which plumb reads"
                + " with grubby; grubby is not on this host's PATH (install grubby)"
            : next.path() + " has no linux line: cannot tell which arguments the next boot gets (regenerating it would not"
                + " say either); check GRUB_DEFAULT and the generator's templates");
      } else {
        boolean nextOk = next.args().map(a -> CmdlineTokens.satisfies(a, present, absent)).orElse(false);
        if (!newFiles.isEmpty() || !nextOk) {
          Optional<Command> regen = regenerate(tools, next.path());
          if (regen.isPresent()) {
            commands.add(regen.get());
          } else {
            blockers.add("no tool to regenerate " + next.path() + " on this host (looked for update-grub, grub2-mkconfig, grub-mkconfig, grubby)");
          }
        }
      }
    }

    // Running.
    List<String> running = facts.text(PROC_CMDLINE).map(CmdlineTokens::split).orElse(List.of());
    boolean runningOk = CmdlineTokens.satisfies(running, present, absent);
    if (!runningOk) {
      notes.add("reboot pending: the running kernel's command line " + runningGap(running, present, absent));
    }
    if (commands.isEmpty() && blockers.isEmpty()) {
      Change none = Change.none(want);
      for (String n : notes) {
        none = none.withNote(n);
      }
      return none.withRebootPending(!runningOk);
    }
    Action action = newFiles.isEmpty() ? Action.RUN : Action.UPDATE;
    Change change = Change.of(action, configured.isEmpty() ? "configured: no parameters" : "configured: " + String.join(" ", configured), want, commands)
        .withDiff(diff.toString())
        .withTakesEffect(TakesEffect.AFTER_REBOOT)
        .withRebootPending(!runningOk);
    for (Map.Entry<String, String> e : newFiles.entrySet()) {
      change = change.withWrite(e.getKey(), FactResult.content(e.getValue()));
    }
    for (String n : notes) {
      change = change.withNote(n);
    }
    for (String b : blockers) {
      change = change.withBlocker(b);
    }
    return change;
  }

  /**
   * A present token whose key the host's configured command line (/etc/default/grub, grub.d) has
   * with another value: that value. A key the host lacks is not adoptable (the item would go).
   */
  @Override
  public List<dev.plumb.modules.HostValue> hostValues(Params params, FactSet facts) {
    Map<String, String> files = new LinkedHashMap<>();
    facts.text(DEFAULT_GRUB).ifPresent(t -> files.put(DEFAULT_GRUB, t));
    files.putAll(facts.get(GRUB_D));
    List<String> configured = configuredTokens(files);
    List<String> present = params.strings("present").stream().map(String::strip).toList();
    List<dev.plumb.modules.HostValue> out = new ArrayList<>();
    for (int i = 0; i < present.size(); i++) {
      String token = present.get(i);
      String key = CmdlineTokens.key(token);
      if (configured.contains(token) || CmdlineTokens.MULTI.contains(key)) {
        continue;
      }
      String have = null;
      for (String c : configured) {
        if (CmdlineTokens.key(c).equals(key)) {
          have = c;
        }
      }
      if (have != null) {
        out.add(new dev.plumb.modules.HostValue("present", i, have));
      }
    }
    return out;
  }

  static String describe(List<String> present, List<String> absent) {
    String p = present.isEmpty() ? "" : "has " + String.join(" ", present);
    String a = absent.isEmpty() ? "" : "lacks " + String.join(" ", absent);
    return (p + (p.isEmpty() || a.isEmpty() ? "" : "; ") + a).strip();
  }

  private static String runningGap(List<String> running, List<String> present, List<String> absent) {
    List<String> missing = CmdlineTokens.missing(running, present, absent);
    List<String> unwanted = CmdlineTokens.unwanted(running, present, absent);
    String m = missing.isEmpty() ? "" : "lacks " + String.join(" ", missing);
    String u = unwanted.isEmpty() ? "" : "still has " + String.join(" ", unwanted);
    return m + (m.isEmpty() || u.isEmpty() ? "" : " and ") + u;
  }

  /** The tokens grub-mkconfig will put on the default entry: both variables, after sourcing. */
  static List<String> configuredTokens(Map<String, String> files) {
    Map<String, String> vars = GrubDefaults.evaluate(new ArrayList<>(files.values()));
    List<String> tokens = new ArrayList<>(CmdlineTokens.split(vars.get(GrubDefaults.LINUX)));
    tokens.addAll(CmdlineTokens.split(vars.get(GrubDefaults.LINUX_DEFAULT)));
    return tokens;
  }

  /**
   * The files that change: the file whose GRUB_CMDLINE_LINUX wins (the last plain assignment)
   * gets present tokens; absent and conflicting tokens leave every file and both variables.
   */
  static Map<String, String> editConfigured(Map<String, String> files, List<String> present, List<String> absent) {
    String target = DEFAULT_GRUB;
    for (Map.Entry<String, String> e : files.entrySet()) {
      if (!GrubDefaults.values(e.getValue(), GrubDefaults.LINUX).isEmpty()
          && !GrubDefaults.onlyAppends(e.getValue(), GrubDefaults.LINUX)) {
        target = e.getKey();
      }
    }
    if (!files.containsKey(target)) {
      target = files.keySet().iterator().next();
    }
    Map<String, String> changed = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : files.entrySet()) {
      boolean isTarget = e.getKey().equals(target);
      String text = e.getValue();
      String next = GrubDefaults.rewrite(text, GrubDefaults.LINUX,
          (last, toks) -> isTarget && last ? CmdlineTokens.edit(toks, present, absent)
              : CmdlineTokens.removeOnly(toks, present, absent));
      next = GrubDefaults.rewrite(next, GrubDefaults.LINUX_DEFAULT, (last, toks) -> CmdlineTokens.removeOnly(toks, present, absent));
      if (isTarget && GrubDefaults.values(text, GrubDefaults.LINUX).isEmpty() && !present.isEmpty()) {
        next = GrubDefaults.append(next, GrubDefaults.LINUX, present);
      }
      if (!next.equals(text)) {
        changed.put(e.getKey(), next);
      }
    }
    return changed;
  }

  /**
   * The new text of /etc/kernel/cmdline, where EL9's kernel-install takes the arguments of kernels
   * installed later (without the file it copies the running /proc/cmdline, which lacks the new
   * tokens until the reboot): edited in place when it exists, else written from the default entry.
   * Empty when it already holds the tokens.
   */
  static Optional<String> kernelCmdlineFile(FactSet facts, Optional<String> root, List<String> defaultArgs,
      List<String> present, List<String> absent) {
    Optional<String> have = facts.text(KERNEL_CMDLINE);
    if (have.isPresent()) {
      List<String> tokens = CmdlineTokens.split(have.get());
      return CmdlineTokens.satisfies(tokens, present, absent) ? Optional.empty()
          : Optional.of(String.join(" ", CmdlineTokens.edit(tokens, present, absent)) + "\n");
    }
    List<String> tokens = new ArrayList<>();
    if (root.isPresent() && defaultArgs.stream().noneMatch(t -> t.startsWith("root="))) {
      tokens.add("root=" + root.get());
    }
    tokens.addAll(CmdlineTokens.edit(defaultArgs, present, absent));
    return Optional.of(String.join(" ", tokens) + "\n");
  }

  private static Optional<String> grubbyRoot(FactSet facts) {
    return GrubConfig.grubbyField(facts.command(GRUBBY.script()).text(), "root");
  }

  private static Optional<List<String>> grubbyArgs(FactSet facts, Set<String> tools) {
    FactResult.Output out = facts.command(GRUBBY.script());
    if (!tools.contains("grubby") || !out.ok()) {
      return Optional.empty();
    }
    return GrubConfig.grubbyArgs(out.text());
  }

  /** Where the next boot's command line is generated, its text when readable, and its default entry's args. */
  record NextBoot(String path, Optional<String> text, Optional<List<String>> args) {
    NextBoot(String path, Optional<String> text) {
      this(path, text, text.flatMap(GrubConfig::defaultEntryArgs));
    }
  }

  static NextBoot nextBoot(FactSet facts, Set<String> tools) {
    Map<String, String> present = new LinkedHashMap<>(facts.get(EFI_CFGS));
    facts.text(GRUB2_CFG).ifPresent(t -> present.put(GRUB2_CFG, t));
    facts.text(GRUB_CFG).ifPresent(t -> present.put(GRUB_CFG, t));
    Map<String, Boolean> hasLinuxLine = new LinkedHashMap<>();
    present.forEach((path, text) -> hasLinuxLine.put(path, GrubConfig.defaultEntryArgs(text).isPresent()));
    Optional<String> path = GrubConfig.bootConfig(tools, hasLinuxLine);
    if (path.isPresent()) {
      return new NextBoot(path.get(), Optional.of(present.get(path.get())));
    }
    // None yet: where this host's generator would write it.
    return new NextBoot(tools.contains("grub2-mkconfig") ? GRUB2_CFG : GRUB_CFG, Optional.empty());
  }

  static Optional<Command> regenerate(Set<String> tools, String cfgPath) {
    if (tools.contains("update-grub")) {
      return Optional.of(Command.rebuild("update-grub"));
    }
    if (tools.contains("grub2-mkconfig")) {
      return Optional.of(Command.rebuild("grub2-mkconfig", "-o", cfgPath));
    }
    if (tools.contains("grub-mkconfig")) {
      return Optional.of(Command.rebuild("grub-mkconfig", "-o", cfgPath));
    }
    return Optional.empty();
  }
}

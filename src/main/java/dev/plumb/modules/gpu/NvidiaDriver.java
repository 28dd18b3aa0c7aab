package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.modules.FileChange;
import dev.plumb.modules.Label;
import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleSpec;
import dev.plumb.modules.Param;
import dev.plumb.modules.Params;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Problems;
import dev.plumb.text.Shell;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code nvidia_driver}: the NVIDIA kernel driver at one version, installed with NVIDIA's .run
 * installer only when the installed version differs, plus nvidia-uvm loaded now and at boot.
 *
 * <p>One class although over 250 lines: its parts (the installed and loaded versions, the install
 * commands for the running and the next kernel, the preconditions as blockers, nvidia-uvm) decide
 * one change together, each reading what the others conclude (whether the module is swapped now,
 * whether a reboot is pending); the parsers are apart already, in {@link NvidiaFacts} and
 * {@link NextKernel}.
 */
public final class NvidiaDriver implements Module {
  /**
   * The installed module's version for each kernel in /lib/modules ({@code RELEASE VERSION} lines,
   * {@link NvidiaFacts#installedByKernel}): the kernel that boots next may not be the running one.
   * Exit 127 without modinfo.
   */
  static final Fact.Command MODINFO = Fact.command("PATH=$PATH:" + GpuFacts.SBIN + "; "
      + "command -v modinfo >/dev/null 2>&1 || exit 127; for d in /lib/modules/*/; do k=${d%/}; k=${k##*/}; "
      + "v=$(modinfo -k \"$k\" -F version nvidia 2>/dev/null) && echo \"$k $v\"; done; true");
  static final String PROC_VERSION = "/proc/driver/nvidia/version";
  static final Fact.Command SMI = Fact.command(
      "command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=driver_version,pci.bus_id --format=csv,noheader");
  static final Fact.Command DKMS = Fact.command("command -v dkms >/dev/null 2>&1 && dkms status");
  /** Secure Boot: mokutil's answer, else the SecureBoot EFI variable's data byte (after 4 attribute bytes). */
  static final Fact.Command SECURE_BOOT = Fact.command("PATH=$PATH:" + GpuFacts.SBIN + "; "
      + "if command -v mokutil >/dev/null 2>&1; then mokutil --sb-state 2>&1; else "
      + "for f in /sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c; do "
      + "[ -r \"$f\" ] && echo \"efivar $(od -An -t u1 -j4 -N1 \"$f\" | tr -d ' ')\"; done; fi; true");
  /** Who holds the loaded nvidia module: its refcount, holder modules, processes with /dev/nvidia* open. */
  static final Fact.Command USERS = Fact.command("m=/sys/module/nvidia; [ -d $m ] || exit 0; "
      + "echo \"refcnt $(cat $m/refcnt 2>/dev/null)\"; for h in $m/holders/*; do [ -e \"$h\" ] && echo \"holder ${h##*/}\"; done; "
      + "if command -v lsof >/dev/null 2>&1; then echo lsof; lsof -F pc /dev/nvidia* 2>/dev/null; fi; true");
  static final String UVM_FILE = "/etc/modules-load.d/nvidia-uvm.conf";
  static final String UVM_CONTENT = GpuModules.MANAGED_HEADER + " (nvidia_driver uvm)\nnvidia-uvm\n";

  private static final ModuleSpec SPEC = ModuleSpec.of("nvidia_driver",
      "The NVIDIA driver at a version, installed from the .run installer only when it differs", "version",
      Param.required("version", Param.Type.STRING, "the driver version, e.g. 367.35 (compared numerically per component)"),
      Param.optional("installer", Param.Type.STRING, null, "path on the host of NVIDIA-Linux-x86_64-<version>.run"),
      Param.optional("sha256", Param.Type.STRING, null, "the installer's sha256 (required with installer)"),
      Param.optional("allow_downgrade", Param.Type.BOOL, "false", "install even when a newer driver is installed"),
      Param.optional("dkms", Param.Type.BOOL, "true", "register the module with DKMS (--dkms) so kernel updates rebuild it"),
      Param.optional("uvm", Param.Type.BOOL, "true", "load nvidia-uvm (needed by CUDA) now and at boot (/etc/modules-load.d/nvidia-uvm.conf)"),
      Param.optional("signing_key", Param.Type.STRING, null,
          "path on the host of the private key that signs the module when Secure Boot is on (--module-signing-secret-key; its key enrolled with mokutil --import)"),
      Param.optional("signing_public_key", Param.Type.STRING, null,
          "path on the host of the matching public key (--module-signing-public-key)"));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public void validate(Params params, Problems problems) {
    if (!Version.valid(params.string("version"))) {
      problems.error(params.mark("version"), "version '" + params.string("version") + "' is not a dotted numeric version",
          "version: \"367.35\" (quote it so YAML keeps it a string)");
    }
    validateInstaller(params, problems, "installer", "sha256");
    if (params.has("signing_key") != params.has("signing_public_key")) {
      String given = params.has("signing_key") ? "signing_key" : "signing_public_key";
      problems.error(params.mark(given), given + " needs " + (given.equals("signing_key") ? "signing_public_key" : "signing_key")
          + ": the installer signs the module with the pair", "give both paths (the key content never goes in the playbook)");
    }
    for (String k : List.of("signing_key", "signing_public_key")) {
      params.optional(k).filter(p -> !p.startsWith("/")).ifPresent(p ->
          problems.error(params.mark(k), k + " must be an absolute path on the host, not '" + p + "'", null));
    }
  }

  static void validateInstaller(Params params, Problems problems, String installer, String sha) {
    if (params.has(installer) && !params.has(sha)) {
      problems.error(params.mark(installer), installer + " needs " + sha + ": plumb runs no installer it cannot verify",
          sha + ": <output of sha256sum " + params.optional(installer).orElse("") + ">");
    }
    params.optional(installer).filter(p -> !p.startsWith("/")).ifPresent(p ->
        problems.error(params.mark(installer), installer + " must be an absolute path on the host, not '" + p + "'", null));
    params.optional(sha).filter(s -> !GpuFacts.lower(s).matches("[0-9a-f]{64}")).ifPresent(s ->
        problems.error(params.mark(sha), sha + " must be 64 hex digits", null));
  }

  /** The fact that checks an installer: its sha256, or a non-zero exit when it is missing. */
  static Fact.Command shaFact(String path) {
    return Fact.command("sha256sum -- " + Shell.quote(path));
  }

  @Override
  public List<Fact> facts(Params params) {
    List<Fact> facts = new ArrayList<>(List.of(MODINFO, Fact.file(PROC_VERSION), SMI, DKMS, NextKernel.FACT.fact(), GpuFacts.TOOLS,
        GpuFacts.LOADED_MODULES, Fact.file(UVM_FILE), SECURE_BOOT, USERS));
    params.optional("installer").ifPresent(p -> facts.add(shaFact(p)));
    return facts;
  }

  @Override
  public Set<String> writes(Params params) {
    return params.bool("uvm") ? Set.of(UVM_FILE) : Set.of();
  }

  @Override
  public Set<String> owns(Params params) {
    return writes(params);
  }

  /** Installer checks shared with cuda_toolkit: missing, or a checksum that is not the playbook's. */
  static Optional<String> installerProblem(FactSet facts, String path, String wantSha) {
    FactResult.Output out = facts.command(shaFact(path).script());
    if (!out.ok() || out.text().isBlank()) {
      return Optional.of("installer " + path + " not found on the host");
    }
    String have = out.text().strip().split("\\s+")[0];
    if (wantSha != null && !have.equalsIgnoreCase(wantSha.strip())) {
      return Optional.of("installer " + path + " has sha256 " + have + ", the playbook says " + wantSha.strip());
    }
    return Optional.empty();
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    Version wanted = Version.of(params.string("version"));
    FactResult.Output modinfo = facts.command(MODINFO.script());
    if (modinfo.exitStatus() == 127) {
      // Without modinfo plumb cannot tell whether the driver is installed: never guess "no" and reinstall.
      return Change.of(Action.RUN, "unknown", "installed " + wanted, List.of())
          .withBlocker("modinfo is not on this host's PATH: cannot read the installed driver version (install kmod)");
    }
    NextKernel kernels = NextKernel.of(facts);
    Map<String, Version> byKernel = modinfo.ok() ? NvidiaFacts.installedByKernel(modinfo.text()) : Map.of();
    // What counts is what the next boot loads: the module of the kernel that boots next.
    Optional<Version> installed = Optional.ofNullable(byKernel.get(kernels.next()));
    Optional<Version> installedRunning = Optional.ofNullable(byKernel.get(kernels.running()));
    List<NvidiaFacts.SmiGpu> gpus = NvidiaFacts.smi(facts.command(SMI.script()).text());
    Optional<Version> loaded = NvidiaFacts.loadedVersion(facts.text(PROC_VERSION).orElse(null))
        .or(() -> gpus.stream().map(NvidiaFacts.SmiGpu::driver).findFirst());
    Set<String> modules = GpuFacts.loadedModules(facts);
    Set<String> tools = GpuFacts.tools(facts);
    String before = installed.map(v -> "installed " + v).orElse("not installed") + loaded.map(v -> ", loaded " + v).orElse("");
    String after = "installed " + wanted;

    Change change;
    boolean willBeLoaded;
    Set<String> loadedAfter = modules;
    if (installed.isPresent() && installed.get().same(wanted)) {
      change = Change.none(after);
      willBeLoaded = loaded.isPresent() && loaded.get().same(wanted);
      if (loaded.isPresent() && !willBeLoaded) {
        change = change.withNote("loaded " + loaded.get() + " until reboot (installed " + installed.get() + ")").withRebootPending(true);
      }
      if (loaded.isEmpty() && !modules.contains("nvidia")) {
        change = change.withNote("installed " + installed.get() + " but not loaded: no nvidia module in the kernel"
            + " (it loads at the next boot, or with modprobe nvidia; check dmesg when it does not)");
      }
      Optional<String> dkms = dkmsNote(facts, params, wanted, kernels.next());
      if (dkms.isPresent()) {
        change = change.withNote(dkms.get());
      }
    } else if (installed.isPresent() && installed.get().compareTo(wanted) > 0 && !params.bool("allow_downgrade")) {
      return Change.of(Action.RUN, before, after, List.of())
          .withBlocker("would downgrade " + installed.get() + " → " + wanted + "; set allow_downgrade: true");
    } else {
      boolean forRunning = !kernels.pending() || installedRunning.map(v -> !v.same(wanted)).orElse(true);
      change = install(params, facts, wanted, kernels, forRunning, modules, tools, before, after);
      // The installer unloads the old module (blocked above when something uses it) and loads the new one.
      willBeLoaded = forRunning || loaded.map(wanted::same).orElse(false);
      if (forRunning) {
        // It unloads nvidia-uvm with the old nvidia and loads nvidia only: nvidia-uvm must be loaded again.
        loadedAfter = modules.stream().filter(m -> !m.equals("nvidia_uvm")).collect(java.util.stream.Collectors.toSet());
      }
      if (loaded.isPresent() && !willBeLoaded) {
        change = change.withRebootPending(true).withNote("loaded " + loaded.get() + " until reboot");
      }
    }
    if (params.bool("uvm")) {
      // nvidia-uvm loads only against a matching nvidia module: none loaded yet, or the wanted one.
      boolean canLoadNow = change.blockers().isEmpty() && (loaded.isEmpty() || willBeLoaded);
      change = uvm(change, facts, loadedAfter, canLoadNow);
    }
    if (!gpus.isEmpty() && change.changes()) {
      change = change.withNote("nvidia-smi sees " + String.join(", ", gpus.stream().map(NvidiaFacts.SmiGpu::busId).toList()));
    }
    return change;
  }

  private static Optional<String> dkmsNote(FactSet facts, Params params, Version wanted, String kernel) {
    FactResult.Output dkms = facts.command(DKMS.script());
    if (!params.bool("dkms") || !dkms.ok()) {
      return Optional.empty();
    }
    List<Version> built = NvidiaFacts.dkmsInstalled(dkms.text(), "nvidia", kernel);
    return built.stream().anyMatch(wanted::same) ? Optional.empty()
        : Optional.of("dkms status shows no nvidia/" + wanted + " for kernel " + kernel + ": the module will not be rebuilt for new kernels");
  }

  /**
   * The install: NVIDIA's installer builds for the running kernel ({@code uname -r}) and, in
   * 367.35 as today, ends by loading nvidia-drm there, so it runs for the running kernel first
   * ({@code forRunning}). When another kernel boots next, its module is built too: with DKMS by
   * {@code dkms install -m nvidia -v V -k K}, else by the installer's own way for another kernel,
   * {@code --kernel-module-only --kernel-name=K} (a kernel module only, for a driver of the same
   * version already installed; sources at /lib/modules/K/build).
   */
  private static Change install(Params params, FactSet facts, Version wanted, NextKernel kernels, boolean forRunning,
      Set<String> modules, Set<String> tools, String before, String after) {
    Optional<String> installer = params.optional("installer");
    if (installer.isEmpty()) {
      return Change.of(Action.RUN, before, after, List.of())
          .withBlocker("driver " + wanted + " is not installed and no installer is given; set installer and sha256");
    }
    List<Command> cmds = new ArrayList<>();
    List<String> signing = new ArrayList<>();
    // The paths of the signing pair, never their content: argv is visible to every user of the host.
    params.optional("signing_key").ifPresent(k -> signing.add("--module-signing-secret-key=" + k));
    params.optional("signing_public_key").ifPresent(k -> signing.add("--module-signing-public-key=" + k));
    if (forRunning) {
      List<String> argv = new ArrayList<>(List.of("sh", installer.get(), "-a"));
      if (params.bool("dkms")) {
        argv.add("--dkms");
      }
      argv.addAll(List.of("-Z", "-s"));
      argv.addAll(signing);
      cmds.add(Command.of(argv));
    }
    if (kernels.pending()) {
      if (params.bool("dkms")) {
        cmds.add(Command.of("dkms", "install", "-m", "nvidia", "-v", wanted.toString(), "-k", kernels.next()));
      } else {
        List<String> argv = new ArrayList<>(List.of("sh", installer.get(), "-a", "-s", "--kernel-module-only",
            "--kernel-name=" + kernels.next()));
        argv.addAll(signing);
        cmds.add(Command.of(argv));
      }
    }
    cmds.addAll(Initramfs.command(tools, kernels));
    Change c = Change.of(Action.RUN, before, after, cmds).withLabel(Label.OBSERVED)
        .withTakesEffect(kernels.pending() ? TakesEffect.AFTER_REBOOT : TakesEffect.NOW);
    if (kernels.pending()) {
      c = c.withNote("the next boot starts kernel " + kernels.next() + " (running " + kernels.running() + "): the module is built for it too");
    }
    List<String> needHeaders = forRunning ? List.of(kernels.running(), kernels.next()) : List.of(kernels.next());
    for (String release : needHeaders.stream().distinct().toList()) {
      if (!kernels.hasHeaders(release)) {
        c = c.withBlocker("kernel headers missing: /lib/modules/" + release + "/build; install linux-headers-" + release
            + " (kernel-devel-" + release + " on EL)");
      }
    }
    if (!tools.contains("cc") && !tools.contains("gcc")) {
      c = c.withBlocker("no C compiler (cc or gcc) on PATH: the installer builds the kernel module; install gcc and make");
    }
    if (forRunning && modules.contains("nouveau")) {
      c = c.withBlocker("nouveau is loaded: blacklist it (module_blacklist) and reboot first; the installer would stop");
    }
    if (kernels.pending() && params.bool("dkms") && !tools.contains("dkms")) {
      c = c.withBlocker("dkms is not on this host's PATH: it builds the module for kernel " + kernels.next()
          + ", which boots next; install dkms or set dkms: false");
    }
    if (secureBoot(facts.command(SECURE_BOOT.script()).text()) && !params.has("signing_key")) {
      c = c.withBlocker("Secure Boot is on: the kernel refuses an unsigned nvidia module (the install would succeed and the"
          + " driver never load); declare signing_key and signing_public_key, paths of a key pair enrolled with mokutil --import");
    }
    NvidiaFacts.Users users = NvidiaFacts.users(facts.command(USERS.script()).text());
    if (forRunning && users.inUse()) {
      c = c.withBlocker("the loaded nvidia module is in use by " + users.describe()
          + ": the installer cannot unload it; stop them (or reboot without the driver) and apply again");
    }
    Optional<String> bad = installerProblem(facts, installer.get(), params.optional("sha256").orElse(null));
    if (bad.isPresent()) {
      c = c.withBlocker(bad.get());
    }
    if (Initramfs.command(tools, kernels).isEmpty()) {
      c = c.withNote("neither update-initramfs nor dracut found: the initramfs is not rebuilt");
    } else if (kernels.pending()) {
      c = c.withNote(Initramfs.pendingNote(kernels));
    }
    return c;
  }

  /** {@code SecureBoot enabled} (mokutil) or the EFI variable's byte 1. */
  static boolean secureBoot(String out) {
    for (String line : out.split("\n")) {
      String l = line.strip();
      if (l.equalsIgnoreCase("SecureBoot enabled") || l.equals("efivar 1")) {
        return true;
      }
    }
    return false;
  }

  private static Change uvm(Change change, FactSet facts, Set<String> modules, boolean canLoadNow) {
    Optional<Change> file = FileChange.converge(facts, UVM_FILE, UVM_CONTENT);
    boolean load = !modules.contains("nvidia_uvm") && canLoadNow;
    if (file.isEmpty() && !load) {
      return change;
    }
    List<Command> cmds = new ArrayList<>(change.commands());
    Change c = change.action() == Action.NONE
        ? Change.of(Action.UPDATE, change.before(), change.after(), List.of()).plus(change).withRebootPending(change.rebootPending())
        : change;
    if (file.isPresent()) {
      c = c.plus(file.get().withCommands(List.of()));
      cmds.addAll(file.get().commands());
    }
    if (load) {
      cmds.add(Command.of("modprobe", "nvidia-uvm"));
    }
    return c.withCommands(cmds);
  }
}

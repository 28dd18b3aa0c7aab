package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
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
import dev.plumb.source.Problems;
import dev.plumb.source.Value;
import dev.plumb.text.Shell;
import dev.plumb.text.TextDiff;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cuda_toolkit}: the CUDA toolkit (no driver: that is nvidia_driver's job) installed with its
 * runfile, and its patches, each applied once and recorded in a marker file under the toolkit dir.
 * Declare it after nvidia_driver.
 *
 * <p>One class although over 250 lines: the toolkit and its patches are one install (a patch
 * needs the toolkit's directory and version, and is recorded beside it), planned as one change
 * with one set of preconditions (the installers' checksums, Perl for CUDA 8).
 */
public final class CudaToolkit implements Module {
  static final String MARKER = ".plumb-patches";

  private static final ModuleSpec SPEC = ModuleSpec.of("cuda_toolkit",
      "The CUDA toolkit and its patches, each installed once from NVIDIA's runfiles", "version",
      Param.required("version", Param.Type.STRING, "the toolkit version, e.g. 8.0.27"),
      Param.optional("installer", Param.Type.STRING, null, "path on the host of cuda_<version>_linux.run"),
      Param.optional("sha256", Param.Type.STRING, null, "the installer's sha256 (required with installer)"),
      Param.optional("patches", Param.Type.LIST, null,
          "patches in order, each {version: 8.0.27.1, installer: /path/cuda_8.0.27.1_linux.run, sha256: …}"),
      Param.optional("prefix", Param.Type.STRING, "/usr/local", "where cuda-<major.minor> is installed"));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  /** The toolkit's samples and patches expect the driver it ships against: install it first. */
  @Override
  public Set<String> after() {
    return Set.of("nvidia_driver");
  }

  /** A patch as declared. */
  record Patch(String version, String installer, String sha256) {}

  static List<Patch> patches(Params params) {
    List<Patch> out = new ArrayList<>();
    for (Value v : params.items("patches")) {
      if (v instanceof Value.Map m) {
        out.add(new Patch(scalar(m, "version"), scalar(m, "installer"), scalar(m, "sha256")));
      }
    }
    return out;
  }

  private static String scalar(Value.Map m, String key) {
    return m.get(key).filter(Value.Scalar.class::isInstance).map(v -> ((Value.Scalar) v).text().strip()).orElse(null);
  }

  static boolean defaultPrefix(Params params) {
    return params.string("prefix").replaceAll("/+$", "").equals("/usr/local");
  }

  static String dir(Params params) {
    String prefix = params.string("prefix").replaceAll("/+$", "");
    return prefix + "/cuda-" + Version.of(params.string("version")).majorMinor();
  }

  @Override
  public void validate(Params params, Problems problems) {
    if (!Version.valid(params.string("version"))) {
      problems.error(params.mark("version"), "version '" + params.string("version") + "' is not a dotted numeric version",
          "version: \"8.0.27\"");
    }
    NvidiaDriver.validateInstaller(params, problems, "installer", "sha256");
    for (Value v : params.items("patches")) {
      if (!(v instanceof Value.Map m)) {
        problems.error(v.mark(), "a patch is a mapping {version, installer, sha256}", null);
        continue;
      }
      for (String k : List.of("version", "installer", "sha256")) {
        if (scalar(m, k) == null) {
          problems.error(m.mark(), "patch needs " + k, "{version: 8.0.27.1, installer: /path, sha256: …}");
        }
      }
      for (String k : m.entries().keySet()) {
        if (!List.of("version", "installer", "sha256").contains(k)) {
          problems.error(m.keyMark(k), "unknown patch key '" + k + "'", "use version, installer and sha256");
        }
      }
      String pv = scalar(m, "version");
      if (pv != null && !Version.valid(pv)) {
        problems.error(m.mark(), "patch version '" + pv + "' is not a dotted numeric version", null);
      }
      String sha = scalar(m, "sha256");
      if (sha != null && !GpuFacts.lower(sha).matches("[0-9a-f]{64}")) {
        problems.error(m.mark(), "patch sha256 must be 64 hex digits", null);
      }
    }
  }

  /** Perl's version as a number ({@code 5.026001} is 5.26.1); CUDA 8's runfile installer is a Perl script. */
  static final Fact.Command PERL = Fact.command("command -v perl >/dev/null 2>&1 && perl -e 'print $]'");

  /** Perl 5.26 dropped '.' from @INC: CUDA ≤ 8 installers cannot load their InstallUtils.pm and install nothing. */
  static final java.math.BigDecimal PERL_WITHOUT_DOT_INC = new java.math.BigDecimal("5.026");

  /** The Perl release of {@code perl -e 'print $]'} ({@code 5.026001} → 5.26.1), if it parses. */
  static Optional<String> perlRelease(String out) {
    String t = out.strip();
    if (!t.matches("\\d+\\.\\d{6}")) {
      return Optional.empty();
    }
    String frac = t.substring(t.indexOf('.') + 1);
    return Optional.of(t.substring(0, t.indexOf('.')) + "." + Integer.parseInt(frac.substring(0, 3)) + "."
        + Integer.parseInt(frac.substring(3)));
  }

  static Fact.Command nvcc() {
    return Fact.command("command -v nvcc >/dev/null 2>&1 && nvcc --version");
  }

  static Fact.Command link(Params params) {
    return Fact.command("readlink " + Shell.quote(params.string("prefix").replaceAll("/+$", "") + "/cuda"));
  }

  @Override
  public List<Fact> facts(Params params) {
    String dir = dir(params);
    List<Fact> facts = new ArrayList<>(List.of(Fact.file(dir + "/version.txt"), Fact.file(dir + "/version.json"), nvcc(),
        Fact.file(dir + "/" + MARKER), link(params), PERL));
    params.optional("installer").ifPresent(p -> facts.add(NvidiaDriver.shaFact(p)));
    patches(params).stream().filter(p -> p.installer() != null).forEach(p -> facts.add(NvidiaDriver.shaFact(p.installer())));
    return facts;
  }

  @Override
  public Set<String> writes(Params params) {
    return Set.of(dir(params) + "/" + MARKER);
  }

  @Override
  public Set<String> owns(Params params) {
    return writes(params);
  }

  private static final Pattern TXT = Pattern.compile("CUDA Version\\s+(\\d+(?:\\.\\d+)*)");
  private static final Pattern JSON = Pattern.compile("\"cuda\"\\s*:\\s*\\{[^}]*?\"version\"\\s*:\\s*\"(\\d+(?:\\.\\d+)*)\"");
  private static final Pattern NVCC = Pattern.compile("release [\\d.]+, V(\\d+(?:\\.\\d+)*)");

  /** {@code CUDA Version 8.0.27} (version.txt, up to 11.0). */
  static Optional<Version> fromVersionTxt(String text) {
    Matcher m = TXT.matcher(text == null ? "" : text);
    return m.find() ? Version.parse(m.group(1)) : Optional.empty();
  }

  /** {@code "cuda" : { "name" : "CUDA SDK", "version" : "11.2.0" }} (version.json, 11.1 on). */
  static Optional<Version> fromVersionJson(String text) {
    Matcher m = JSON.matcher(text == null ? "" : text);
    return m.find() ? Version.parse(m.group(1)) : Optional.empty();
  }

  /** {@code Cuda compilation tools, release 8.0, V8.0.26}. */
  static Optional<Version> fromNvcc(String text) {
    Matcher m = NVCC.matcher(text == null ? "" : text);
    return m.find() ? Version.parse(m.group(1)) : Optional.empty();
  }

  /** Patch versions recorded in the marker, one a line. */
  static Set<String> applied(String marker) {
    Set<String> out = new LinkedHashSet<>();
    if (marker != null) {
      for (String line : marker.split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line.strip());
        }
      }
    }
    return out;
  }

  /**
   * CUDA 8 (and earlier) runfiles run a Perl installer that {@code require}s InstallUtils.pm from its
   * own directory; Perl 5.26 took '.' out of @INC, so it fails to load, prints nothing useful and
   * exits 0 having installed nothing: plumb would "install" it on every run.
   */
  static Optional<String> perlProblem(Version wanted, String installer, String perlOut) {
    if (Integer.parseInt(wanted.majorMinor().split("\\.")[0]) > 8) {
      return Optional.empty();
    }
    Optional<String> release = perlRelease(perlOut);
    if (release.isEmpty() || new java.math.BigDecimal(perlOut.strip()).compareTo(PERL_WITHOUT_DOT_INC) < 0) {
      return Optional.empty();
    }
    return Optional.of("CUDA " + wanted + "'s runfile installs nothing under Perl 5.26 or later (this host has Perl " + release.get()
        + ": '.' is no longer in @INC, so its installer cannot load InstallUtils.pm, and it still exits 0). Extract it (sh "
        + installer + " --tar mxvf -C DIR), put DIR/InstallUtils.pm where Perl finds it (PERL5LIB), and install from DIR;"
        + " or declare CUDA 9.2 or later");
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    Version wanted = Version.of(params.string("version"));
    String dir = dir(params);
    Optional<Version> installed = fromVersionTxt(facts.text(dir + "/version.txt").orElse(null))
        .or(() -> fromVersionJson(facts.text(dir + "/version.json").orElse(null)));
    List<Command> cmds = new ArrayList<>();
    List<String> blockers = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    boolean install = installed.isEmpty() || !installed.get().same(wanted);
    if (install) {
      Optional<String> installer = params.optional("installer");
      if (installer.isEmpty()) {
        blockers.add("CUDA " + wanted + " is not installed in " + dir + " and no installer is given; set installer and sha256");
      } else {
        NvidiaDriver.installerProblem(facts, installer.get(), params.optional("sha256").orElse(null)).ifPresent(blockers::add);
        perlProblem(wanted, installer.get(), facts.command(PERL.script()).text()).ifPresent(blockers::add);
        // A prefix other than the installer's /usr/local must reach it, or the toolkit lands where
        // plumb does not look and every run installs it again.
        cmds.add(defaultPrefix(params) ? Command.of("sh", installer.get(), "--silent", "--toolkit", "--override")
            : Command.of("sh", installer.get(), "--silent", "--toolkit", "--override", "--toolkitpath=" + dir(params)));
      }
    }
    String markerPath = dir + "/" + MARKER;
    Optional<FactResult.Content> markerFile = facts.file(markerPath);
    String marker = markerFile.map(FactResult.Content::text).orElse(null);
    Set<String> applied = applied(marker);
    String content = marker == null ? GpuModules.MANAGED_HEADER + ": CUDA patches applied, one version a line\n" : marker;
    String sha = markerFile.map(FactResult.Content::sha256).orElse(null);
    List<String> newPatches = new ArrayList<>();
    for (Patch p : patches(params)) {
      if (applied.contains(p.version())) {
        continue;
      }
      NvidiaDriver.installerProblem(facts, p.installer(), p.sha256()).ifPresent(blockers::add);
      cmds.add(defaultPrefix(params) ? Command.of("sh", p.installer(), "--silent", "--accept-eula")
          : Command.of("sh", p.installer(), "--silent", "--accept-eula", "--installdir=" + dir(params)));
      String next = content + (content.isEmpty() || content.endsWith("\n") ? "" : "\n") + p.version() + "\n";
      cmds.add(Command.writeFile(markerPath, next, sha, null));
      sha = FactResult.sha256(next.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      content = next;
      newPatches.add(p.version());
    }
    String link = facts.command(link(params).script()).text().strip();
    String linkName = "cuda-" + wanted.majorMinor();
    if (!install && !link.isEmpty() && !link.endsWith(linkName)) {
      notes.add(params.string("prefix") + "/cuda points to " + link + ", not " + linkName);
    }
    String after = "CUDA " + wanted + (patches(params).isEmpty() ? "" : " + patches "
        + String.join(" ", patches(params).stream().map(Patch::version).toList()));
    if (cmds.isEmpty() && blockers.isEmpty()) {
      Change none = Change.none(after);
      for (String n : notes) {
        none = none.withNote(n);
      }
      return none;
    }
    String before = installed.map(v -> "CUDA " + v).orElse("not installed")
        + (applied.isEmpty() ? "" : " + patches " + String.join(" ", applied));
    Change c = Change.of(Action.RUN, before, after, cmds).withTakesEffect(TakesEffect.NOW);
    if (!newPatches.isEmpty()) {
      c = c.withWrite(markerPath, FactResult.content(content)).withDiff(TextDiff.unified(markerPath, marker, content));
    }
    for (String n : notes) {
      c = c.withNote(n);
    }
    for (String b : blockers) {
      c = c.withBlocker(b);
    }
    return c;
  }
}

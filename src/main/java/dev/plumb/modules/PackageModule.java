package dev.plumb.modules;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.source.Problems;
import dev.plumb.text.Shell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code package}: distribution packages installed (optionally at a version) or removed, with apt
 * on dpkg hosts and dnf on rpm hosts.
 */
public final class PackageModule implements Module {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9+._:-]*");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9+.~:_-]*");

  private static final ModuleSpec SPEC = ModuleSpec.of("package",
      "Distribution packages installed (at a version) or removed, with apt or dnf.", "name",
      Param.required("name", Param.Type.STRINGS, "A package name, or a list of names."),
      Param.optional("version", Param.Type.STRING, null,
          "The version to install (one package only): the full version, or the upstream version without"
              + " the release (\"535.183\" matches \"535.183-0ubuntu1\")."),
      Param.oneOf("state", "present", "present or absent.", "present", "absent"));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public void validate(Params params, Problems problems) {
    List<String> names = params.strings("name");
    if (names.isEmpty()) {
      problems.error(params.mark("name"), "name is empty", "name at least one package");
    }
    names.stream().filter(n -> !NAME.matcher(n).matches()).forEach(n ->
        problems.error(params.mark("name"), "'" + n + "' is not a package name", "use the name as apt or dnf knows it"));
    ParamChecks.presentOrAbsent(params, problems);
    String state = params.string("state");
    params.optional("version").ifPresent(v -> {
      if (!VERSION.matcher(v).matches()) {
        problems.error(params.mark("version"), "'" + v + "' is not a package version", "e.g. 535.183.01-0ubuntu1");
      }
      if (names.size() > 1) {
        problems.error(params.mark("version"), "version with several packages", "declare one package per version");
      }
      if (state.equals("absent")) {
        problems.error(params.mark("version"), "version has no meaning with state absent", "remove version");
      }
    });
  }

  /** One fact for both package managers: the first line names the one found. */
  static String queryScript(List<String> names) {
    String words = names.stream().map(Shell::quote).collect(Collectors.joining(" "));
    return "if command -v dpkg-query >/dev/null 2>&1; then echo dpkg; "
        + "dpkg-query -W -f='${Package} ${Version} ${db:Status-Abbrev}\\n' " + words + "; "
        + "elif command -v rpm >/dev/null 2>&1; then echo rpm; "
        + "rpm -q --qf '%{NAME} %{VERSION}-%{RELEASE}\\n' " + words + "; "
        + "else echo none; fi";
  }

  @Override
  public List<Fact> facts(Params params) {
    return List.of(Fact.command(queryScript(params.strings("name"))));
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    List<String> names = params.strings("name");
    FactResult.Output out = facts.command(queryScript(names));
    List<String> lines = out.text().lines().toList();
    String manager = lines.isEmpty() ? "none" : lines.get(0).strip();
    if (!manager.equals("dpkg") && !manager.equals("rpm")) {
      return Change.of(Action.UPDATE, "unknown", String.join(" ", names), List.of())
          .withBlocker("no package manager found on this host: neither dpkg nor rpm is installed");
    }
    Map<String, List<String>> installed = installed(manager, lines.subList(1, lines.size()));
    boolean present = params.string("state").equals("present");
    String version = params.optional("version").orElse(null);
    String before = names.stream().map(n -> n + " " + describe(installed.get(n))).collect(Collectors.joining(", "));
    if (!present) {
      List<String> remove = names.stream().filter(installed::containsKey).toList();
      if (remove.isEmpty()) {
        return Change.none(before);
      }
      return Change.of(Action.DELETE, before, remove.stream().map(n -> n + " absent").collect(Collectors.joining(", ")),
          List.of(command(manager, "remove", remove)));
    }
    List<String> install = new ArrayList<>();
    boolean anyInstalled = false;
    for (String n : names) {
      List<String> have = installed.get(n);
      anyInstalled |= have != null;
      if (have == null || (version != null && have.stream().noneMatch(v -> versionMatches(v, version)))) {
        install.add(version == null ? n : n + (manager.equals("dpkg") ? "=" : "-") + version);
      }
    }
    if (install.isEmpty()) {
      return Change.none(before);
    }
    return Change.of(anyInstalled ? Action.UPDATE : Action.CREATE, before, String.join(", ", install),
        List.of(command(manager, "install", install)));
  }

  private static Command command(String manager, String verb, List<String> packages) {
    List<String> argv = new ArrayList<>();
    if (manager.equals("dpkg")) {
      argv.addAll(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", verb, "-y"));
    } else {
      argv.addAll(List.of("dnf", verb, "-y"));
    }
    argv.addAll(packages);
    return Command.of(argv);
  }

  /** Installed versions by package name, from the query's output after its first line. */
  static Map<String, List<String>> installed(String manager, List<String> lines) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String line : lines) {
      if (manager.equals("dpkg")) {
        // "name version status": the version is empty for a package dpkg knows but has not installed;
        // the status's second letter is 'i' when it is installed ("ii ", "hi ").
        String[] f = line.split(" ", 3);
        if (f.length == 3 && f[2].length() >= 2 && f[2].charAt(1) == 'i') {
          out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
        }
      } else {
        // rpm prints "package x is not installed" on stdout for a missing one: not two words.
        String[] f = line.strip().split(" ");
        if (f.length == 2) {
          out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
        }
      }
    }
    return out;
  }

  /** The full version, or the upstream version (without epoch, or release after the last '-'). */
  static boolean versionMatches(String installed, String wanted) {
    String noEpoch = installed.replaceFirst("^[0-9]+:", "");
    return installed.equals(wanted) || noEpoch.equals(wanted)
        || installed.startsWith(wanted + "-") || noEpoch.startsWith(wanted + "-");
  }

  private static String describe(List<String> versions) {
    return versions == null ? "absent" : String.join("/", versions);
  }
}

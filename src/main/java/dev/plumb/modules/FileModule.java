package dev.plumb.modules;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.source.Problems;
import dev.plumb.text.Shell;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code file}: a whole file's content, mode and owner, or its absence. */
public final class FileModule implements Module {

  static final Pattern MODE = Pattern.compile("[0-7]{3,4}");

  private static final ModuleSpec SPEC = ModuleSpec.of("file",
      "A file's whole content, mode and owner, or its absence.", "path",
      Param.required("path", Param.Type.STRING, "Absolute path of the file."),
      Param.optional("content", Param.Type.STRING, null, "The whole content, exactly. Not with lines."),
      Param.optional("lines", Param.Type.STRINGS, null,
          "The content as lines: joined with newlines, plus a final newline. Not with content."),
      Param.optional("mode", Param.Type.STRING, null, "Octal mode, e.g. \"0644\" (quote it in YAML)."),
      Param.optional("owner", Param.Type.STRING, null, "Owning user name."),
      Param.optional("group", Param.Type.STRING, null, "Owning group name."),
      Param.optional("follow", Param.Type.BOOL, "false",
          "When path is a symbolic link: manage the file it points to (content, mode, owner). Without it,"
              + " plumb never changes a file through a link: a link at path blocks the resource."),
      Param.oneOf("state", "present",
          "present or absent. Present without content or lines creates an empty file if missing and"
              + " leaves an existing file's content alone.", "present", "absent"));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public void validate(Params params, Problems problems) {
    ParamChecks.absolutePath(params, "path", problems);
    ParamChecks.presentOrAbsent(params, problems);
    String state = params.string("state");
    if (params.has("content") && params.has("lines")) {
      problems.error(params.mark("lines"), "content and lines are both given", "keep one of them");
    }
    if (state.equals("absent")) {
      for (String p : List.of("content", "lines", "mode", "owner", "group")) {
        if (params.has(p)) {
          problems.error(params.mark(p), p + " has no meaning with state absent", "remove " + p + " or the state");
        }
      }
    }
    params.optional("mode").filter(m -> !MODE.matcher(m).matches()).ifPresent(m ->
        problems.error(params.mark("mode"), "mode '" + m + "' is not an octal mode",
            "write it as a quoted octal string, e.g. \"0644\""));
  }

  @Override
  public List<Fact> facts(Params params) {
    String path = params.string("path");
    List<Fact> facts = new ArrayList<>();
    facts.add(Fact.file(path));
    if (readsLink(params)) {
      facts.add(Fact.command(linkScript(path)));
    }
    if (wantsStat(params)) {
      facts.add(Fact.command(statScript(path)));
    }
    return facts;
  }

  /** The file's content on the host, where it differs from {@code content}. */
  @Override
  public List<HostValue> hostValues(Params params, FactSet facts) {
    if (!params.string("state").equals("present") || !params.has("content")
        || !(facts.get(Fact.file(params.string("path"))) instanceof FactResult.Content c)
        || c.text().equals(params.string("content"))) {
      return List.of();
    }
    return List.of(HostValue.whole("content", c.text()));
  }

  /** The mode and owner of the file itself, or of the file a link at path points to (-L). */
  static String statScript(String path) {
    return "stat -L -c '%a %U %G' -- " + Shell.quote(path);
  }

  /**
   * Nothing when path is not a symbolic link; else two lines: the link's own target (as {@code
   * ls -l} shows it, for the message) and the path it resolves to.
   */
  static String linkScript(String path) {
    String p = Shell.quote(path);
    return "if [ -L " + p + " ]; then readlink -- " + p + "; readlink -f -- " + p + " || echo; fi; true";
  }

  /** A symbolic link at the path: what it says, and where it leads (empty when it leads nowhere). */
  private record Link(String target, String resolved) {}

  private static Optional<Link> link(FactSet facts, String path) {
    List<String> lines = facts.command(linkScript(path)).text().lines().toList();
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Link(lines.get(0), lines.size() > 1 ? lines.get(1).strip() : ""));
  }

  /** Declares content or attributes (what a link at the path would let a write change elsewhere), or absence. */
  private static boolean readsLink(Params params) {
    return params.string("state").equals("absent") || params.has("content") || params.has("lines")
        || params.has("mode") || params.has("owner") || params.has("group");
  }

  private static boolean wantsStat(Params params) {
    return !params.string("state").equals("absent")
        && (params.has("mode") || params.has("owner") || params.has("group"));
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    String path = params.string("path");
    FactResult current = facts.get(Fact.file(path));
    if (params.string("state").equals("absent")) {
      Optional<Link> link = link(facts, path);
      if (link.isPresent()) {
        // Removing the link leaves the file it points to alone, and that file's content is not
        // this resource's to show. A link that leads nowhere reads as missing, and is removed too.
        return Change.of(Action.DELETE, "symbolic link to " + link.get().target(), "absent",
                List.of(Command.of("rm", "-f", "--", path)))
            .withWrite(path, new FactResult.Missing());
      }
      return FileChange.delete(path, current);
    }
    Optional<String> wanted = wantedContent(params);
    String mode = params.optional("mode").orElse(null);
    Optional<Link> link = readsLink(params) ? link(facts, path) : Optional.empty();
    if (link.isPresent()) {
      // chmod and the content read follow a link, and the atomic write would replace it: a link
      // someone put at a managed path must not redirect plumb's writes (nor show what it points to).
      Link l = link.get();
      if (!params.bool("follow")) {
        return Change.of(Action.UPDATE, "symbolic link to " + l.target(), "a file", List.of())
            .withBlocker(path + " is a symbolic link to " + l.target() + "; plumb does not change a file through a"
                + " link: declare follow: true to manage the file it points to, or remove the link");
      }
      if (l.resolved().isEmpty() || l.resolved().equals(path)) {
        return Change.of(Action.UPDATE, "symbolic link to " + l.target(), "a file", List.of())
            .withBlocker(path + " is a symbolic link to " + l.target() + ", which cannot be resolved (a loop, or a"
                + " missing directory on the way): follow has no file to manage");
      }
      path = l.resolved(); // write and chmod the file itself: the link stays a link
    }
    if (current instanceof FactResult.Unreadable) {
      return FileChange.unreadable(path, wanted.map(FileChange::describe).orElse("present"));
    }
    Change content = current instanceof FactResult.Content c && wanted.isEmpty()
        ? Change.none(FileChange.describe(c.text()))
        : FileChange.write(path, current, wanted.orElse(""), mode);
    List<Command> extra = attributeCommands(params, path, params.string("path"), current, content, facts);
    if (extra.isEmpty()) {
      return content;
    }
    List<Command> all = new ArrayList<>(content.commands());
    all.addAll(extra);
    if (content.changes()) {
      return content.withCommands(all);
    }
    String[] stat = facts.command(statScript(params.string("path"))).text().strip().split(" ");
    String before = stat.length == 3 ? "mode " + stat[0] + ", owner " + stat[1] + ":" + stat[2] : "mode and owner unknown";
    String after = "mode " + params.optional("mode").orElse(stat.length == 3 ? stat[0] : "?")
        + ", owner " + params.optional("owner").orElse(stat.length == 3 ? stat[1] : "?")
        + ":" + params.optional("group").orElse(stat.length == 3 ? stat[2] : "?");
    return Change.of(Action.UPDATE, before, after, all);
  }

  /**
   * chmod/chown commands for what the content write does not already settle.
   *
   * @param path the file to change (a followed link's target)
   * @param declared the declared path, whose stat fact was read
   */
  private static List<Command> attributeCommands(
      Params params, String path, String declared, FactResult current, Change content, FactSet facts) {
    List<Command> cmds = new ArrayList<>();
    if (!wantsStat(params)) {
      return cmds;
    }
    boolean created = current instanceof FactResult.Missing;
    String[] stat = created ? new String[0] : facts.command(statScript(declared)).text().strip().split(" ");
    boolean statOk = stat.length == 3;
    Optional<String> mode = params.optional("mode");
    // A write with a mode sets it; otherwise compare the mode as numbers ("644" is "0644").
    if (mode.isPresent() && !content.changes()
        && !(statOk && Integer.parseInt(stat[0], 8) == Integer.parseInt(mode.get(), 8))) {
      cmds.add(Command.of("chmod", "--", mode.get(), path));
    }
    Optional<String> owner = params.optional("owner")
        .filter(o -> created || !statOk || !o.equals(stat[1]));
    Optional<String> group = params.optional("group")
        .filter(g -> created || !statOk || !g.equals(stat[2]));
    if (owner.isPresent() || group.isPresent()) {
      cmds.add(Command.of("chown", "--", owner.orElse("") + group.map(g -> ":" + g).orElse(""), path));
    }
    return cmds;
  }

  private static Optional<String> wantedContent(Params params) {
    if (params.has("content")) {
      return params.optional("content");
    }
    if (params.has("lines")) {
      List<String> lines = params.strings("lines");
      return Optional.of(lines.isEmpty() ? "" : String.join("\n", lines) + "\n");
    }
    return Optional.empty();
  }

  @Override
  public Set<String> writes(Params params) {
    return Set.of(params.string("path"));
  }

  /** Its content when declared (content, lines) or absent; present alone leaves the content to others. */
  @Override
  public Set<String> owns(Params params) {
    boolean whole = params.has("content") || params.has("lines") || params.string("state").equals("absent");
    return whole ? writes(params) : Set.of();
  }
}

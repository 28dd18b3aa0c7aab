package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.Command;
import dev.plumb.text.Json;
import dev.plumb.text.Shell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Properties of an OpenStack flavor or image read with {@code openstack <kind> show -f json}, and
 * the {@code openstack <kind> set --property} that adds the missing ones.
 */
final class OpenstackProperties {
  private OpenstackProperties() {}

  static final int NO_CLI = 127;
  /** No cloud declared and no OS_CLOUD/OS_AUTH_URL in the environment the commands run in. */
  static final int NO_CREDENTIALS = 125;

  /** {@code openstack flavor show <name> -f json}; exit 127 when the CLI is missing. */
  static Fact.Command show(String kind, String name) {
    return show(kind, name, null);
  }

  /**
   * The same with {@code --os-cloud} (a clouds.yaml entry) when {@code cloud} is not null. Without
   * a cloud the client needs OS_* in the environment the commands run in, which sudo -n (become)
   * drops: that is checked first, so that it is a blocker that says so, not a failed command.
   */
  static Fact.Command show(String kind, String name, String cloud) {
    return Fact.command("command -v openstack >/dev/null 2>&1 || exit " + NO_CLI + "; "
        + (cloud == null ? "[ -n \"${OS_CLOUD:-}${OS_AUTH_URL:-}\" ] || exit " + NO_CREDENTIALS + "; openstack "
            : "openstack --os-cloud " + Shell.quote(cloud) + " ")
        + kind + " show -f json -- " + Shell.quote(name));
  }

  static final String CLOUD_DOC = "a clouds.yaml entry for --os-cloud; without it OS_CLOUD or OS_AUTH_URL… must be set "
      + "in the environment plumb's commands run in (sudo -n drops them)";

  private static final Pattern PAIR = Pattern.compile("\\s*([^=,]+?)='((?:[^'\\\\]|\\\\.)*)'\\s*(?:,|$)");

  /**
   * The {@code properties} of the JSON output: a JSON object (newer clients) or a string of
   * {@code k='v', k2='v2'} (older clients).
   */
  static Map<String, String> parse(String json) {
    Map<String, String> out = new LinkedHashMap<>();
    Object doc = Json.parse(json.strip());
    if (!(doc instanceof Map<?, ?> m)) {
      return out;
    }
    Object props = m.get("properties");
    if (props instanceof Map<?, ?> pm) {
      pm.forEach((k, v) -> out.put(String.valueOf(k), v instanceof String s ? s : Json.write(v)));
    } else if (props instanceof String s) {
      Matcher pair = PAIR.matcher(s);
      while (pair.find()) {
        out.put(pair.group(1).strip(), pair.group(2).replace("\\'", "'"));
      }
    }
    return out;
  }

  /** The change that sets the wanted properties that are missing or different. */
  static Change converge(String kind, String name, String cloud, FactResult.Output shown, Map<String, String> wanted) {
    String what = kind + " " + name;
    if (shown.exitStatus() == NO_CLI) {
      return Change.of(Action.UPDATE, "unknown", what, List.of())
          .withBlocker("the openstack CLI is not installed on this host (python-openstackclient), or not on PATH");
    }
    if (shown.exitStatus() == NO_CREDENTIALS && cloud == null) {
      return Change.of(Action.UPDATE, "unknown", what, List.of())
          .withBlocker("no cloud is declared and neither OS_CLOUD nor OS_AUTH_URL is set where plumb runs commands "
              + "(with become, sudo -n drops the login's OS_* variables): declare cloud: <a clouds.yaml entry>");
    }
    if (!shown.ok()) {
      return Change.of(Action.UPDATE, "unknown", what, List.of())
          .withBlocker(what + " does not exist or cannot be read (openstack " + kind + " show failed, exit " + shown.exitStatus()
              + "; are the OS_* credentials set?)");
    }
    Map<String, String> have;
    try {
      have = parse(shown.text());
    } catch (IllegalArgumentException e) {
      return Change.of(Action.UPDATE, "unknown", what, List.of()).withBlocker("cannot parse openstack " + kind + " show output: " + e.getMessage());
    }
    List<String> argv = new ArrayList<>(List.of("openstack"));
    if (cloud != null) {
      argv.addAll(List.of("--os-cloud", cloud));
    }
    argv.addAll(List.of(kind, "set"));
    List<String> changed = new ArrayList<>();
    wanted.forEach((k, v) -> {
      if (!v.equals(have.get(k))) {
        argv.add("--property");
        argv.add(k + "=" + v);
        changed.add(k + "=" + v + Optional.ofNullable(have.get(k)).map(o -> " (was " + o + ")").orElse(""));
      }
    });
    if (changed.isEmpty()) {
      return Change.none(what + ": " + describe(wanted));
    }
    // The name is an operand from the playbook: after "--" (argparse, as the client parses it), a
    // name such as "--public" is a name and never an option.
    argv.add("--");
    argv.add(name);
    return Change.of(Action.UPDATE, what + ": " + describe(have), what + ": " + describe(wanted), List.of(Command.of(argv)))
        .withNote("sets " + String.join(", ", changed));
  }

  static String describe(Map<String, String> props) {
    List<String> parts = new ArrayList<>();
    props.forEach((k, v) -> parts.add(k + "=" + v));
    return parts.isEmpty() ? "no properties" : String.join(", ", parts);
  }
}

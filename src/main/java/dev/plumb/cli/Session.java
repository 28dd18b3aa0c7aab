package dev.plumb.cli;

import dev.plumb.apply.Connector;
import dev.plumb.inventory.Host;
import dev.plumb.load.Catalog;
import dev.plumb.load.HostCatalog;
import dev.plumb.load.LoadRequest;
import dev.plumb.load.Loader;
import dev.plumb.load.YamlModuleSpec;
import dev.plumb.modules.ModuleRegistry;
import dev.plumb.source.InputException;
import dev.plumb.source.Mark;
import dev.plumb.source.Problem;
import dev.plumb.source.Problems;
import dev.plumb.source.Value;
import dev.plumb.transport.BadVariable;
import dev.plumb.transport.Connections;
import dev.plumb.transport.TransportException;
import dev.plumb.transport.TransportOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The loaded input of one invocation and how to reach its hosts. */
record Session(Catalog catalog, ModuleRegistry registry, Connector connector) {

  /** What a verb built from its own options, and the inputs it loaded after checking them. */
  record Started<T>(T options, Session session) {}

  /**
   * How every verb that reads a playbook starts: {@code options} checks the verb's own options and
   * builds what it needs from them (an IllegalArgumentException's message is the user's error),
   * before the inputs are loaded. Either failure is printed ("plumb: ...", exit 1, no host
   * contacted) and gives null.
   */
  static <T> Started<T> start(CommonOptions common, PrintWriter err, Supplier<T> options) {
    T built;
    try {
      built = options.get();
    } catch (IllegalArgumentException e) {
      err.println("plumb: " + e.getMessage());
      return null;
    }
    Session session = load(common, err);
    return session == null ? null : new Started<>(built, session);
  }

  /** Loads the playbook and inventory; on bad input prints every problem and returns null. */
  static Session load(CommonOptions common, PrintWriter err) {
    if (!Files.isRegularFile(common.playbook)) {
      err.println("plumb: playbook not found: " + common.playbook);
      err.println("    fix: give the path of a playbook file, e.g. playbooks/gpu-hypervisor.yml");
      return null;
    }
    if (common.inventory != null && !Files.exists(common.inventory)) {
      err.println("plumb: inventory not found: " + common.inventory);
      err.println("    fix: give an inventory file or directory, e.g. -i inventories/lab.yml, or leave -i out for localhost");
      return null;
    }
    if (!askSecrets(common, err) || !common.vault.apply(err, System.getenv())) {
      return null;
    }
    ModuleRegistry registry = Builtins.registry();
    try {
      Catalog catalog = Loader.load(new LoadRequest(common.playbook, Optional.ofNullable(common.inventory),
          common.extraVars, Optional.ofNullable(common.limit), common.tagSet(), registry), YamlModuleSpec::module);
      checkConnections(catalog, transportOptions(common));
      catalog.warnings().forEach(w -> err.println(w.render()));
      err.flush();
      return new Session(catalog, registry, connector(common));
    } catch (InputException e) {
      err.print(TextRenderer.problems(e.problems()));
      long errors = e.problems().stream().filter(Problem::isError).count();
      err.println("plumb: " + errors + " error" + (errors == 1 ? "" : "s") + " in the input; no host was contacted.");
      err.flush();
      return null;
    }
  }

  private static TransportOptions transportOptions(CommonOptions common) {
    TransportOptions options = TransportOptions.defaults().withAcceptNewHostKeys(common.acceptNewHostKeys);
    return common.secretsEnv == null ? options : options.withEnv(common.secretsEnv);
  }

  /**
   * Asks for the secrets the user asked to be asked for, once, before any host is contacted, and
   * hands them to the transport as if they came from the environment.
   *
   * @return false when a secret was asked for but there is no terminal to ask on
   */
  static boolean askSecrets(CommonOptions common, PrintWriter err) {
    if (!common.askBecomePass && !common.askKeyPassphrase) {
      return true;
    }
    Map<String, String> env = new LinkedHashMap<>(System.getenv());
    if (common.askBecomePass && !ask(env, Connections.BECOME_PASSWORD_ENV, "BECOME password: ", err)) {
      return false;
    }
    if (common.askKeyPassphrase && !ask(env, Connections.KEY_PASSPHRASE_ENV, "SSH key passphrase: ", err)) {
      return false;
    }
    common.secretsEnv = env;
    return true;
  }

  private static boolean ask(Map<String, String> env, String variable, String prompt, PrintWriter err) {
    java.io.Console console = System.console();
    if (console == null) {
      err.println("plumb: cannot ask for a secret without a terminal; set " + variable + " instead");
      return false;
    }
    char[] secret = console.readPassword("%s", prompt);
    env.put(variable, secret == null ? "" : new String(secret));
    return true;
  }

  private static Map<String, String> scalarVars(Host host) {
    Map<String, String> vars = new LinkedHashMap<>();
    host.vars().forEach((k, v) -> {
      if (v instanceof Value.Scalar s) {
        vars.put(k, s.text());
      }
    });
    return vars;
  }

  /** Bad connection variables (a port that is not a number…) are input errors, found before any host is contacted. */
  private static void checkConnections(Catalog catalog, TransportOptions options) {
    Problems problems = new Problems();
    for (HostCatalog hc : catalog.hosts()) {
      Host host = hc.host();
      try {
        Connections.validate(host.name(), scalarVars(host), options);
      } catch (IllegalArgumentException e) {
        Value where = e instanceof BadVariable bad ? host.vars().get(bad.variable()) : null;
        Mark mark = where != null ? where.mark() : Mark.nowhere("inventory");
        problems.error(mark, e.getMessage() + " (host " + host.name() + ")", "correct the variable in the inventory");
      }
    }
    problems.throwIfErrors();
  }

  /**
   * The secrets of this run, for redaction: sensitive values from the input and the secrets given
   * through the environment or asked for.
   */
  dev.plumb.text.Sensitive secrets(CommonOptions common) {
    Map<String, String> env = common.secretsEnv != null ? common.secretsEnv : System.getenv();
    java.util.List<String> given = new java.util.ArrayList<>();
    for (String name : java.util.List.of(Connections.BECOME_PASSWORD_ENV, Connections.SSH_PASSWORD_ENV,
        Connections.KEY_PASSPHRASE_ENV)) {
      if (env.get(name) != null) {
        given.add(env.get(name));
      }
    }
    return catalog.sensitive().plus(dev.plumb.text.Sensitive.of(given));
  }

  /** Local or SSH per the host's variables. */
  static Connector connector(CommonOptions common) {
    TransportOptions options = transportOptions(common);
    return host -> {
      try {
        return Connections.open(host.name(), scalarVars(host), options);
      } catch (IllegalArgumentException e) {
        throw new TransportException(e.getMessage(), true, e);
      }
    };
  }
}

package dev.plumb.load;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Change;
import dev.plumb.modules.HostLint;
import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleRegistry;
import dev.plumb.modules.ModuleSpec;
import dev.plumb.modules.Param;
import dev.plumb.modules.Params;
import dev.plumb.source.Problems;
import java.util.List;

/** Tiny modules for loader tests: only their parameter specs matter here. */
final class FakeModules {
  private FakeModules() {}

  record Fake(ModuleSpec spec) implements Module {
    Fake(String type, List<Param> params, String keyParam) {
      this(new ModuleSpec(type, "test " + type, keyParam, params));
    }

    @Override
    public List<Fact> facts(Params params) {
      return List.of();
    }

    @Override
    public Change diff(Params params, FactSet facts) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void validate(Params params, Problems problems) {
      // A module-level check the loader must run: a file's mode must be octal.
      if (type().equals("file") && params.optional("mode").filter(m -> !m.matches("0?[0-7]{3}")).isPresent()) {
        problems.error(params.mark("mode"), "mode '" + params.string("mode") + "' is not octal", "write e.g. 0644");
      }
    }
  }

  static final Module FILE = new Fake("file", List.of(
      Param.required("path", Param.Type.STRING, "absolute path"),
      Param.optional("content", Param.Type.STRING, null, "whole content"),
      Param.optional("mode", Param.Type.STRING, null, "octal mode"),
      Param.optional("backup", Param.Type.BOOL, "false", "keep a copy"),
      Param.optional("size", Param.Type.INT, null, "size")), "path");
  static final Module LINE = new Fake("line", List.of(
      Param.required("path", Param.Type.STRING, "file"),
      Param.optional("regexp", Param.Type.STRING, null, "regexp"),
      Param.required("line", Param.Type.STRING, "the line")), "path");
  static final Module SERVICE = new Fake("service", List.of(
      Param.required("name", Param.Type.STRING, "unit"),
      Param.optional("state", Param.Type.STRING, "started", "state"),
      Param.optional("enabled", Param.Type.BOOL, null, "enabled")), "name");
  static final Module COMMAND = new Fake("command", List.of(
      Param.required("argv", Param.Type.LIST, "argv"),
      Param.optional("env", Param.Type.MAP, null, "environment")), null);
  static final Module PACKAGES = new Fake("packages", List.of(
      Param.required("names", Param.Type.STRINGS, "package names")), "names");

  /** Two resources of type service with the same unit: a cross-resource check for lint tests. */
  static final HostLint ONE_SSHD = new HostLint() {
    @Override
    public String name() {
      return "one-sshd";
    }

    @Override
    public void check(List<Declared> resources, Problems problems) {
      long n = resources.stream().filter(r -> r.type().equals("service")
          && r.params().optional("name").orElse("").equals("sshd")).count();
      if (n > 0 && resources.stream().anyMatch(r -> r.type().equals("service")
          && r.params().optional("state").orElse("").equals("stopped"))) {
        HostLint.first(resources, "service").ifPresent(r ->
            problems.error(r.params().mark(), "a service is stopped while sshd is managed", "check the lint"));
      }
    }
  };

  static ModuleRegistry registry() {
    return ModuleRegistry.empty().register(FILE).register(LINE).register(SERVICE).register(COMMAND)
        .register(PACKAGES).register(ONE_SSHD);
  }
}

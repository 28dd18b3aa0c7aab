package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Change;
import dev.plumb.modules.Module;
import dev.plumb.modules.ModuleSpec;
import dev.plumb.modules.Param;
import dev.plumb.modules.Params;
import dev.plumb.source.Problems;
import dev.plumb.source.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code openstack_flavor}: extra specs (properties) of a nova flavor, e.g. pci_passthrough:alias=nvidia:1. */
public final class OpenstackFlavor implements Module {
  private static final ModuleSpec SPEC = ModuleSpec.of("openstack_flavor",
      "Properties (extra specs) of an OpenStack flavor, set with the openstack CLI", "flavor",
      Param.required("flavor", Param.Type.STRING, "the flavor's name or id, e.g. GPU.SSD.30"),
      Param.required("properties", Param.Type.MAP, "properties it must have, e.g. {\"pci_passthrough:alias\": \"nvidia:1\"}; others are kept"),
      Param.optional("cloud", Param.Type.STRING, null, OpenstackProperties.CLOUD_DOC));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public void validate(Params params, Problems problems) {
    params.map("properties").ifPresent(m -> m.entries().forEach((k, v) -> {
      if (!(v instanceof Value.Scalar)) {
        problems.error(v.mark(), "property " + k + " must be a string, e.g. \"nvidia:1\"", null);
      }
    }));
  }

  static Map<String, String> properties(Params params) {
    Map<String, String> out = new LinkedHashMap<>();
    params.map("properties").ifPresent(m -> m.entries().forEach((k, v) -> {
      if (v instanceof Value.Scalar s) {
        out.put(k, s.text());
      }
    }));
    return out;
  }

  @Override
  public List<Fact> facts(Params params) {
    return List.of(OpenstackProperties.show("flavor", params.string("flavor"), params.optional("cloud").orElse(null)));
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    String flavor = params.string("flavor");
    String cloud = params.optional("cloud").orElse(null);
    return OpenstackProperties.converge("flavor", flavor, cloud, facts.command(OpenstackProperties.show("flavor", flavor, cloud).script()),
        properties(params));
  }
}

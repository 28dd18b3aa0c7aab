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
import dev.plumb.text.Shell;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code hide_hypervisor}: guests do not see KVM (the consumer NVIDIA driver's error 43). Under nova
 * through an image property or flavor extra spec (nova rewrites domain XML, so never edit it there);
 * for libvirt domains nova does not manage, {@code <kvm><hidden state='on'/></kvm>} via virt-xml.
 */
public final class HideHypervisor implements Module {
  private static final ModuleSpec SPEC = ModuleSpec.of("hide_hypervisor",
      "Hides KVM from guests: nova image/flavor property, or libvirt <kvm><hidden state='on'/>", "method",
      Param.required("method", Param.Type.STRING, "nova (image property or flavor extra spec) or libvirt (a domain not managed by nova)"),
      Param.optional("openstack_release", Param.Type.STRING, null, "nova method: the release, which picks the property name"),
      Param.optional("flavor", Param.Type.STRING, null, "nova method: the flavor that gets the extra spec (Rocky+)"),
      Param.optional("image", Param.Type.STRING, null, "nova method: the image that gets img_hide_hypervisor_id=true (Pike+)"),
      Param.optional("domain", Param.Type.STRING, null, "libvirt method: the domain name"),
      Param.optional("cloud", Param.Type.STRING, null, "nova method: " + OpenstackProperties.CLOUD_DOC));

  @Override
  public ModuleSpec spec() {
    return SPEC;
  }

  @Override
  public void validate(Params params, Problems problems) {
    String method = params.string("method");
    if (method.equals("nova")) {
      if (!params.has("openstack_release")) {
        problems.error(params.mark(), "method nova needs openstack_release (the property name depends on it)", "openstack_release: queens");
        return;
      }
      if (params.has("domain")) {
        problems.error(params.mark("domain"), "domain is for method libvirt; under nova the domain XML is rewritten by nova",
            "remove domain, use flavor or image");
      }
      if (params.has("flavor") == params.has("image")) {
        problems.error(params.mark(), "method nova needs exactly one of flavor or image", "image: <name> (Pike+) or flavor: <name> (Rocky+)");
      }
      NovaRelease.of(params.string("openstack_release")).ifPresentOrElse(r -> {
        if (params.has("image") && !r.atLeastPike()) {
          problems.error(params.mark("image"), "img_hide_hypervisor_id needs Pike or later, not " + r.name(),
              "on " + r.name() + " nova cannot hide KVM; upgrade, or use a libvirt domain outside nova");
        }
        if (params.has("flavor") && !r.atLeastRocky()) {
          problems.error(params.mark("flavor"), "the hide_hypervisor_id flavor extra spec needs Rocky or later, not " + r.name(),
              r.atLeastPike() ? "use image: <name> (img_hide_hypervisor_id, Pike+)" : "upgrade to Pike+ and use image");
        }
      }, () -> problems.error(params.mark("openstack_release"), NovaRelease.unknown(params.string("openstack_release")), null));
    } else if (method.equals("libvirt")) {
      if (!params.has("domain")) {
        problems.error(params.mark(), "method libvirt needs domain", "domain: <libvirt domain name>");
      }
      for (String p : List.of("flavor", "image")) {
        if (params.has(p)) {
          problems.error(params.mark(p), p + " is for method nova; method libvirt edits a domain nova does not manage", null);
        }
      }
    } else {
      problems.error(params.mark("method"), "method must be nova or libvirt, not '" + method + "'", "method: nova");
    }
  }

  static Fact.Command dumpxml(String domain) {
    return Fact.command("command -v virsh >/dev/null 2>&1 || exit 127; virsh dumpxml --domain " + Shell.quote(domain));
  }

  @Override
  public List<Fact> facts(Params params) {
    if (params.string("method").equals("libvirt")) {
      return List.of(dumpxml(params.string("domain")), GpuFacts.TOOLS);
    }
    return List.of(params.has("image")
        ? OpenstackProperties.show("image", params.string("image"), params.optional("cloud").orElse(null))
        : OpenstackProperties.show("flavor", params.string("flavor"), params.optional("cloud").orElse(null)));
  }

  /** The property and its target for the nova method. */
  static Map.Entry<String, String> novaProperty(Params params) {
    if (params.has("image")) {
      return Map.entry("img_hide_hypervisor_id", "true");
    }
    NovaRelease r = NovaRelease.of(params.string("openstack_release")).orElseThrow();
    return Map.entry(r.atLeastVictoria() ? "hw:hide_hypervisor_id" : "hide_hypervisor_id", "true");
  }

  private static final Pattern HIDDEN = Pattern.compile("<kvm>\\s*(?:<[^>]*>\\s*)*?<hidden\\s+state=['\"]on['\"]\\s*/>", Pattern.DOTALL);

  static boolean kvmHidden(String domainXml) {
    return HIDDEN.matcher(domainXml).find();
  }

  @Override
  public Change diff(Params params, FactSet facts) {
    if (params.string("method").equals("nova")) {
      String kind = params.has("image") ? "image" : "flavor";
      String name = params.string(kind);
      Map.Entry<String, String> prop = novaProperty(params);
      String cloud = params.optional("cloud").orElse(null);
      return OpenstackProperties.converge(kind, name, cloud, facts.command(OpenstackProperties.show(kind, name, cloud).script()),
          Map.of(prop.getKey(), prop.getValue()));
    }
    String domain = params.string("domain");
    FactResult.Output xml = facts.command(dumpxml(domain).script());
    if (xml.exitStatus() == 127) {
      return Change.of(Action.UPDATE, "unknown", "kvm hidden", List.of()).withBlocker("virsh is not installed on this host");
    }
    if (!xml.ok()) {
      return Change.of(Action.UPDATE, "unknown", "kvm hidden", List.of()).withBlocker("libvirt domain " + domain + " does not exist (virsh dumpxml failed)");
    }
    if (kvmHidden(xml.text())) {
      return Change.none("domain " + domain + ": kvm hidden");
    }
    List<String> blockers = new ArrayList<>();
    if (!GpuFacts.tools(facts).contains("virt-xml")) {
      blockers.add("virt-xml is not installed (package virtinst); plumb does not hand-edit domain XML");
    }
    Change c = Change.of(Action.UPDATE, "domain " + domain + ": kvm visible", "domain " + domain + ": kvm hidden",
            // the domain (a user value) after "--": virt-xml parses with argparse, where it is then an operand
            List.of(Command.of("virt-xml", "--edit", "--features", "kvm_hidden=on", "--", domain)))
        .withTakesEffect(TakesEffect.afterRestart("libvirt domain " + domain))
        .withNote("the guest sees the change at its next start (a full stop and start, not a reboot from inside)");
    for (String b : blockers) {
      c = c.withBlocker(b);
    }
    return c;
  }
}

package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.plumb.Gens;
import dev.plumb.facts.FactResult;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.IniDocument;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Problem;
import dev.plumb.text.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class NovaPciTest {
  static final NovaPci M = new NovaPci();
  static final String PATH = "/etc/nova/nova.conf";
  static final String MITAKA = """
      [DEFAULT]
      # nova.conf of the seed's era
      my_ip = 10.0.0.11
      scheduler_default_filters=AggregateInstanceExtraSpecsFilter,AvailabilityZoneFilter,RamFilter,ComputeFilter
      
      [libvirt]
      virt_type = kvm
      """;

  static Map<String, Object> m(String... kv) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put(kv[i], kv[i + 1]);
    }
    return out;
  }

  static Map<String, Object> params(String release, Object... extra) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("openstack_release", release);
    p.put("whitelist", List.of(m("vendor_id", "10de", "product_id", "1b80")));
    p.put("aliases", List.of(m("vendor_id", "10de", "product_id", "1b80", "name", "nvidia")));
    for (int i = 0; i < extra.length; i += 2) {
      p.put((String) extra[i], extra[i + 1]);
    }
    return p;
  }

  @Test
  void json_equivalence() {
    assertThat(Json.equivalent("{ \"vendor_id\": \"10de\", \"product_id\": \"1b80\" }", "{\"product_id\":\"1b80\",\"vendor_id\":\"10de\"}")).isTrue();
    assertThat(Json.equivalent("{\"a\": 1.0}", "{\"a\": 1}")).isTrue();
    assertThat(Json.equivalent("{\"a\": \"1\"}", "{\"a\": 1}")).isFalse();
    assertThat(Json.equivalent("[1, {\"b\": [true, null]}]", "[1,{\"b\":[true,null]}]")).isTrue();
    assertThat(Json.equivalent("{", "{}")).isFalse();
    assertThat(Json.write(Map.of("name", "a\"b"))).isEqualTo("{\"name\":\"a\\\"b\"}");
  }

  @Test
  void ini_keepsOtherLinesByteForByte() {
    IniDocument c = IniDocument.parse("[DEFAULT]\n#alias = x\nfoo=1 \n\n[pci]\nalias = a\nalias = b\n");
    assertThat(c.values("pci", "alias")).containsExactly("a", "b");
    c = c.set("pci", "alias", List.of("c")).set("filter_scheduler", "enabled_filters", List.of("X"));
    assertThat(c.render()).isEqualTo("[DEFAULT]\n#alias = x\nfoo=1 \n\n[pci]\nalias = c\n\n[filter_scheduler]\nenabled_filters = X\n");
  }

  @Test
  void mitaka_seedsOptionsInDefault_filterAppended() {
    Change c = Fixtures.of(M, params("mitaka")).file(PATH, MITAKA).diff();
    assertThat(c.action()).isEqualTo(Action.UPDATE);
    assertThat(c.takesEffect()).isEqualTo(TakesEffect.afterRestart("nova-compute, nova-api, nova-scheduler"));
    assertThat(((FactResult.Content) c.writes().get(PATH)).text()).isEqualTo("""
        [DEFAULT]
        # nova.conf of the seed's era
        my_ip = 10.0.0.11
        scheduler_default_filters = AggregateInstanceExtraSpecsFilter,AvailabilityZoneFilter,RamFilter,ComputeFilter,PciPassthroughFilter
        pci_passthrough_whitelist = {"vendor_id":"10de","product_id":"1b80"}
        pci_alias = {"vendor_id":"10de","product_id":"1b80","name":"nvidia"}
        
        [libvirt]
        virt_type = kvm
        """);
    assertThat(Fixtures.shown(c)).singleElement().asString().startsWith("plumb-write /etc/nova/nova.conf");
  }

  @Test
  void seedsSpacing_isEquivalentJson_noChange() {
    String conf = """
        [DEFAULT]
        pci_passthrough_whitelist = { "vendor_id": "10de", "product_id": "1b80" }
        pci_alias = { "vendor_id":"10de", "product_id":"1b80", "name":"nvidia" }
        scheduler_default_filters=RamFilter,ComputeFilter,PciPassthroughFilter
        """;
    Change c = Fixtures.of(M, params("mitaka")).file(PATH, conf).diff();
    assertThat(c.action()).isEqualTo(Action.NONE);
  }

  @Test
  void queens_pciSection_andDefaultFilterList() {
    Change c = Fixtures.of(M, params("queens")).file(PATH, "[DEFAULT]\nmy_ip = 1.2.3.4\n").diff();
    String text = ((FactResult.Content) c.writes().get(PATH)).text();
    assertThat(text).contains("[pci]\npassthrough_whitelist = {\"vendor_id\":\"10de\",\"product_id\":\"1b80\"}\n"
        + "alias = {\"vendor_id\":\"10de\",\"product_id\":\"1b80\",\"name\":\"nvidia\"}\n");
    assertThat(text).contains("[filter_scheduler]\nenabled_filters = RetryFilter,AvailabilityZoneFilter,"
        + "ComputeFilter,ComputeCapabilitiesFilter,ImagePropertiesFilter,ServerGroupAntiAffinityFilter,ServerGroupAffinityFilter,PciPassthroughFilter\n");
  }

  @Test
  void zed_deviceSpec_computeOnly_restartsCompute_notesOldName() {
    Map<String, Object> p = params("2023.1", "role", "compute");
    Change c = Fixtures.of(M, p).file(PATH, "[pci]\npassthrough_whitelist = {\"vendor_id\": \"10de\"}\n").diff();
    String text = ((FactResult.Content) c.writes().get(PATH)).text();
    assertThat(text).contains("device_spec = {\"vendor_id\":\"10de\",\"product_id\":\"1b80\"}").doesNotContain("filter");
    assertThat(c.takesEffect()).isEqualTo(TakesEffect.afterRestart("nova-compute"));
    assertThat(c.notes()).contains("[pci] passthrough_whitelist is also set; 2023.1 reads [pci] device_spec: remove the other one");
  }

  @Test
  void multipleAliases_multiValuedLines() {
    Map<String, Object> p = params("yoga", "aliases", List.of(m("name", "a", "product_id", "1b80"), m("name", "b", "product_id", "1b06")));
    Change c = Fixtures.of(M, p).file(PATH, "[pci]\nalias = {\"name\": \"b\", \"product_id\": \"1b06\"}\n").diff();
    String text = ((FactResult.Content) c.writes().get(PATH)).text();
    assertThat(text).contains("alias = {\"name\":\"a\",\"product_id\":\"1b80\"}\nalias = {\"name\":\"b\",\"product_id\":\"1b06\"}\n");
    // The same aliases as one JSON list (and in another order) are the same.
    Change same = Fixtures.of(M, p).file(PATH, "[pci]\nalias = [{\"name\": \"b\", \"product_id\": \"1b06\"}, {\"product_id\": \"1b80\", \"name\": \"a\"}]\n"
        + "passthrough_whitelist = {\"vendor_id\":\"10de\",\"product_id\":\"1b80\"}\n[filter_scheduler]\nenabled_filters = ComputeFilter, PciPassthroughFilter\n").diff();
    assertThat(same.action()).isEqualTo(Action.NONE);
  }

  @Test
  void missingFile_blocks() {
    assertThat(Fixtures.of(M, params("mitaka")).diff().blockers()).containsExactly(PATH + " is missing: is nova installed on this host?");
  }

  @Test
  void validate() {
    assertThat(Fixtures.validate(M, params("mitka")).all()).extracting(Problem::message)
        .containsExactly("unknown OpenStack release 'mitka'; did you mean mitaka?");
    assertThat(Fixtures.validate(M, params("zed", "filters_add", List.of("ComputeFilter"))).all()).extracting(Problem::message)
        .containsExactly("aliases are declared but filters_add leaves out PciPassthroughFilter: the scheduler would place PCI flavors on hosts without the device");
    assertThat(Fixtures.validate(M, params("zed", "aliases", List.of(Map.of("product_id", "1b80")))).all()).extracting(Problem::message)
        .containsExactly("an alias needs a name (flavors refer to it: pci_passthrough:alias=<name>:1)");
    assertThat(Fixtures.validate(M, params("2023.2")).all()).isEmpty();
  }

  @Test
  void afterState_isNone() {
    qt().withExamples(200).forAll(releases(), Generate.pick(List.of("compute", "controller", "both")), confs())
        .checkAssert((release, role, conf) -> {
          Map<String, Object> p = params(release, "role", role);
          Fixtures f = Fixtures.of(M, p).file(PATH, conf);
          Change c = f.diff();
          if (!c.blockers().isEmpty()) {
            return; // a filter class the release does not have (the seed's RamFilter on train+): nothing is written
          }
          assertThat(f.diffAfter(c).action()).isEqualTo(Action.NONE);
          if (c.changes() && conf.contains("virt_type = kvm\n")) {
            String text = ((FactResult.Content) c.writes().get(PATH)).text();
            assertThat(text).contains("virt_type = kvm\n");
          }
        });
  }

  static Gen<String> releases() {
    return Generate.pick(List.of("mitaka", "newton", "ocata", "pike", "queens", "rocky", "stein", "train", "ussuri",
        "victoria", "wallaby", "xena", "yoga", "zed", "2023.1", "2023.2", "2024.1", "2024.2", "2025.1"));
  }

  /** The seed's nova.conf, small ones, and generated INI files over nova's own sections and options. */
  static Gen<String> confs() {
    Gen<String> fixed = Generate.pick(List.of(MITAKA, "[libvirt]\nvirt_type = kvm", "[pci]\nalias = {}\n[libvirt]\nvirt_type = kvm\n",
        "[filter_scheduler]\nenabled_filters=ComputeFilter\n[libvirt]\nvirt_type = kvm\n[pci]\n"));
    Gen<String> generated = Gens.iniFile(List.of("DEFAULT", "pci", "libvirt", "filter_scheduler", "scheduler"),
        List.of("alias", "passthrough_whitelist", "device_spec", "virt_type", "enabled_filters", "scheduler_default_filters",
            "available_filters", "my_ip"));
    return fixed.mix(generated, 60).describedAs(Gens::show);
  }
}

package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.HostLint;
import dev.plumb.modules.IniDocument;
import dev.plumb.source.Problem;
import dev.plumb.source.Problems;
import dev.plumb.text.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * nova_pci against what nova itself reads at each release tag (src/test/resources/nova/releases.json,
 * extracted from nova's source by the extract.py next to it).
 */
class NovaReleaseTest {
  static final String PATH = "/etc/nova/nova.conf";

  /** One release as nova's source has it. */
  record Nova(String release, String tag, List<String> defaults, Set<String> classes, Set<String> reads) {
    @Override
    public String toString() {
      return release + " (" + tag + ")";
    }
  }

  @SuppressWarnings("unchecked")
  static List<Nova> releases() throws IOException {
    try (InputStream in = NovaReleaseTest.class.getResourceAsStream("/nova/releases.json")) {
      Map<String, Object> doc = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      List<Nova> out = new ArrayList<>();
      for (Object o : (List<Object>) doc.get("releases")) {
        Map<String, Object> r = (Map<String, Object>) o;
        out.add(new Nova((String) r.get("release"), (String) r.get("tag"), (List<String>) r.get("default_filters"),
            new HashSet<>((List<String>) r.get("filter_classes")), new HashSet<>((List<String>) r.get("options_read"))));
      }
      return out;
    }
  }

  static String key(NovaRelease.Option o) {
    return o.section() + "/" + o.name();
  }

  @Test
  void table_isNovasSource_atEveryTag() throws IOException {
    List<Nova> nova = releases();
    assertThat(NovaRelease.all()).extracting(NovaRelease::name).containsExactlyElementsOf(nova.stream().map(Nova::release).toList());
    for (Nova n : nova) {
      NovaRelease r = NovaRelease.of(n.release()).orElseThrow();
      assertThat(r.tag()).as(n.toString()).isEqualTo(n.tag());
      assertThat(r.defaultFilters()).as(n + " defaults").isEqualTo(n.defaults());
      assertThat(new HashSet<>(r.filterClasses())).as(n + " classes").isEqualTo(n.classes());
      assertThat(r.reads().stream().map(NovaReleaseTest::key).collect(java.util.stream.Collectors.toSet())).as(n + " options").isEqualTo(n.reads());
    }
  }

  @Test
  void labsFakeNova_readsTheSameTable() throws IOException {
    List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("lab/host/lib/nova-releases")).stream()
        .filter(l -> !l.startsWith("#")).toList();
    List<Nova> nova = releases();
    assertThat(lines).hasSameSizeAs(nova);
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).split(" ");
      Nova n = nova.get(i);
      assertThat(f[0] + " " + f[1]).isEqualTo(n.release() + " " + n.tag());
      assertThat(new HashSet<>(List.of(f[2].split(",")))).as(n + " options").isEqualTo(n.reads());
      assertThat(new HashSet<>(List.of(f[3].split(",")))).as(n + " classes").isEqualTo(n.classes());
    }
  }

  /** The nova.conf files a release's host may start with. */
  static Stream<Object[]> cases() throws IOException {
    List<Object[]> out = new ArrayList<>();
    String[] starts = {
        "[DEFAULT]\nmy_ip = 10.0.0.11\n",
        "[DEFAULT]\nscheduler_default_filters = AggregateInstanceExtraSpecsFilter,ComputeFilter\n",
        "[filter_scheduler]\nenabled_filters = ComputeFilter,ImagePropertiesFilter\n",
        "[DEFAULT]\npci_passthrough_whitelist = {\"vendor_id\": \"10de\"}\n[pci]\nalias = {\"name\": \"old\"}\n"};
    for (Nova n : releases()) {
      for (String s : starts) {
        out.add(new Object[] {n, s});
      }
    }
    return out.stream();
  }

  static Map<String, Object> params(String release) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("openstack_release", release);
    p.put("whitelist", List.of(Map.of("vendor_id", "10de", "product_id", "1b80")));
    p.put("aliases", List.of(Map.of("vendor_id", "10de", "product_id", "1b80", "name", "nvidia")));
    return p;
  }

  @ParameterizedTest(name = "{0} from {1}")
  @MethodSource("cases")
  void writtenNovaConf_namesOnlyOptionsAndClassesTheReleaseHas(Nova nova, String start) {
    Change c = Fixtures.of(new NovaPci(), params(nova.release())).file(PATH, start).diff();
    assertThat(c.blockers()).isEmpty();
    String text = ((FactResult.Content) c.writes().get(PATH)).text();
    IniDocument before = IniDocument.parse(start);
    IniDocument after = IniDocument.parse(text);
    boolean filtersSet = false;
    for (NovaRelease.Option o : NovaRelease.allOptions()) {
      List<String> values = after.values(o.section(), o.name());
      if (!values.equals(before.values(o.section(), o.name()))) {
        assertThat(nova.reads()).as("plumb wrote " + o + " for " + nova).contains(key(o));
      }
      if (o.name().endsWith("filters") && !values.isEmpty() && nova.reads().contains(key(o))) {
        for (String f : SchedulerFilters.split(values.get(values.size() - 1))) {
          assertThat(nova.classes()).as(o + " of " + nova + " names " + f).contains(f);
        }
        filtersSet = true;
      }
    }
    assertThat(filtersSet).as("a filter list for " + nova).isTrue();
    // A second run over what the first one wrote changes nothing.
    assertThat(Fixtures.of(new NovaPci(), params(nova.release())).file(PATH, text).diff().action()).isEqualTo(Action.NONE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("releases")
  void unsetFilters_becomeNovasDefaultPlusPci_nothingElse(Nova nova) {
    Change c = Fixtures.of(new NovaPci(), params(nova.release())).file(PATH, "[DEFAULT]\n").diff();
    IniDocument after = IniDocument.parse(((FactResult.Content) c.writes().get(PATH)).text());
    NovaRelease.Option f = NovaRelease.of(nova.release()).orElseThrow().filters();
    List<String> want = new ArrayList<>(nova.defaults());
    want.add("PciPassthroughFilter");
    assertThat(after.values(f.section(), f.name())).containsExactly(String.join(",", want));
  }

  @Test
  void beforeXena_oldFilterName_isTheStart_andTheNewNameIsWritten() {
    String conf = "[DEFAULT]\nscheduler_default_filters = AggregateInstanceExtraSpecsFilter,RamFilter,ComputeFilter\n";
    Change c = Fixtures.of(new NovaPci(), params("queens")).file(PATH, conf).diff();
    IniDocument after = IniDocument.parse(((FactResult.Content) c.writes().get(PATH)).text());
    assertThat(after.values("filter_scheduler", "enabled_filters"))
        .containsExactly("AggregateInstanceExtraSpecsFilter,RamFilter,ComputeFilter,PciPassthroughFilter");
    assertThat(c.notes()).anySatisfy(n -> assertThat(n).startsWith("started from [DEFAULT] scheduler_default_filters (deprecated"));
    // xena no longer reads the old name: nova's own default is the start, and the note says so.
    Change xena = Fixtures.of(new NovaPci(), params("xena")).file(PATH, conf).diff();
    IniDocument x = IniDocument.parse(((FactResult.Content) xena.writes().get(PATH)).text());
    assertThat(x.values("filter_scheduler", "enabled_filters")).containsExactly(
        "ComputeFilter,ComputeCapabilitiesFilter,ImagePropertiesFilter,ServerGroupAntiAffinityFilter,ServerGroupAffinityFilter,PciPassthroughFilter");
    assertThat(xena.notes()).contains("[DEFAULT] scheduler_default_filters is also set; xena (24.0.0) does not read it: remove it");
  }

  @Test
  void newton_readsPciOptionsInDefault() {
    Change c = Fixtures.of(new NovaPci(), params("newton")).file(PATH, "[DEFAULT]\n").diff();
    String text = ((FactResult.Content) c.writes().get(PATH)).text();
    assertThat(text).contains("pci_passthrough_whitelist = {")
        .contains("pci_alias = {").doesNotContain("[pci]");
    assertThat(NovaRelease.of("ocata").orElseThrow().whitelist()).isEqualTo(NovaRelease.PCI_WHITELIST);
  }

  @Test
  void existingUnknownClass_blocks_insteadOfWritingAConfigNovaRejects() {
    Change c = Fixtures.of(new NovaPci(), params("victoria"))
        .file(PATH, "[filter_scheduler]\nenabled_filters = RetryFilter,ComputeFilter\n").diff();
    assertThat(c.writes()).isEmpty();
    assertThat(c.blockers()).containsExactly("[filter_scheduler] enabled_filters names RetryFilter and nova victoria (22.0.0) has no filter "
        + "RetryFilter (deleted in victoria (22.0.0)), so nova-scheduler would not start: remove it from /etc/nova/nova.conf");
  }

  @Test
  void validate_filterNames_againstTheRelease_withDidYouMean() {
    Map<String, Object> p = params("mitaka");
    p.put("filters_add", List.of("AggregateImagePropertiesStrictIsolation", "RamFilter", "PciPassthroughFilter"));
    assertThat(Fixtures.validate(new NovaPci(), p).all()).extracting(Problem::message).containsExactly(
        "nova mitaka (13.0.0) has no filter AggregateImagePropertiesStrictIsolation, so nova-scheduler would not start; "
            + "did you mean AggregateImagePropertiesIsolation?");
    p.put("openstack_release", "victoria");
    assertThat(Fixtures.validate(new NovaPci(), p).all()).extracting(Problem::message).contains(
        "nova victoria (22.0.0) has no filter RamFilter (deleted in train (20.0.0)), so nova-scheduler would not start");
    p.put("openstack_release", "grizzly");
    assertThat(Fixtures.validate(new NovaPci(), p).all()).extracting(Problem::message).containsExactly(
        "OpenStack grizzly predates PCI passthrough in nova (havana, 2013.2, is the first release plumb supports)");
  }

  static HostLint.Declared declared(dev.plumb.modules.Module m, Map<String, ?> p) {
    return PciPassthroughTest.declared(m, p);
  }

  @Test
  void lint_unscopedHideHypervisorId_withAggregateInstanceExtraSpecsFilter() {
    HostLint.Declared hide = declared(new HideHypervisor(), Map.of("method", "nova", "openstack_release", "rocky", "flavor", "gpu"));
    Map<String, Object> np = params("rocky");
    np.put("role", "controller");
    np.put("filters_add", List.of("AggregateInstanceExtraSpecsFilter", "PciPassthroughFilter"));
    Problems p = new Problems();
    new GpuLints.UnscopedHideHypervisor().check(List.of(declared(new NovaPci(), np), hide), p);
    assertThat(p.all()).singleElement().satisfies(x -> assertThat(x.message())
        .startsWith("the flavor extra spec hide_hypervisor_id (unscoped in rocky) together with AggregateInstanceExtraSpecsFilter"));
    // The filter in the host's nova.conf counts too; victoria's scoped hw:hide_hypervisor_id is fine.
    np.put("filters_add", List.of("PciPassthroughFilter"));
    List<HostLint.Declared> rs = List.of(declared(new NovaPci(), np), hide);
    GpuLints.UnscopedHideHypervisor lint = new GpuLints.UnscopedHideHypervisor();
    assertThat(lint.facts(rs)).hasSize(1);
    Problems withFacts = new Problems();
    lint.checkWithFacts(rs, FactSet.of(Map.of(lint.facts(rs).get(0),
        FactResult.content("[filter_scheduler]\nenabled_filters = ComputeFilter,AggregateInstanceExtraSpecsFilter\n"))), withFacts);
    assertThat(withFacts.all()).singleElement().satisfies(x -> assertThat(x.message()).contains("[filter_scheduler] enabled_filters in /etc/nova/nova.conf"));
    HostLint.Declared victoria = declared(new HideHypervisor(), Map.of("method", "nova", "openstack_release", "victoria", "flavor", "gpu"));
    assertThat(lint.facts(List.of(declared(new NovaPci(), np), victoria))).isEmpty();
  }
}

package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.facts.FactResult;
import dev.plumb.modules.Action;
import dev.plumb.modules.Change;
import dev.plumb.modules.TakesEffect;
import dev.plumb.source.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CudaToolkitTest {
  static final CudaToolkit M = new CudaToolkit();
  static final String RUN = "/opt/gpu-installers/cuda_8.0.27_linux.run";
  static final String PATCH = "/opt/gpu-installers/cuda_8.0.27.1_linux.run";
  static final String SHA = "c".repeat(64);
  static final String PSHA = "d".repeat(64);
  static final String DIR = "/usr/local/cuda-8.0";
  static final String MARKER = DIR + "/.plumb-patches";
  static final Map<String, Object> P = Map.of("version", "8.0.27", "installer", RUN, "sha256", SHA,
      "patches", List.of(Map.of("version", "8.0.27.1", "installer", PATCH, "sha256", PSHA)));

  static Fixtures fresh() {
    return Fixtures.of(M, P)
        .cmd(NvidiaDriver.shaFact(RUN), SHA + "  " + RUN + "\n")
        .cmd(NvidiaDriver.shaFact(PATCH), PSHA + "  " + PATCH + "\n")
        .cmd(CudaToolkit.nvcc(), 1, "")
        .cmd(CudaToolkit.link(Fixtures.params(M, P)), 1, "");
  }

  @Test
  void parsers() {
    assertThat(CudaToolkit.fromVersionTxt("CUDA Version 8.0.27\n")).contains(Version.of("8.0.27"));
    assertThat(CudaToolkit.fromVersionJson("{\n   \"cuda\" : {\n      \"name\" : \"CUDA SDK\",\n      \"version\" : \"11.2.0\"\n   },\n"
        + "   \"cuda_cudart\" : { \"version\" : \"11.2.72\" }\n}")).contains(Version.of("11.2.0"));
    assertThat(CudaToolkit.fromNvcc("nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release 8.0, V8.0.26\n"))
        .contains(Version.of("8.0.26"));
    assertThat(CudaToolkit.applied("# managed by plumb\n8.0.27.1\n")).containsExactly("8.0.27.1");
  }

  @Test
  void fresh_installsToolkitThenPatchThenRecordsIt() {
    Change c = fresh().diff();
    assertThat(c.action()).isEqualTo(Action.RUN);
    assertThat(c.takesEffect()).isEqualTo(TakesEffect.NOW);
    assertThat(c.blockers()).isEmpty();
    List<String> shown = Fixtures.shown(c);
    assertThat(shown.get(0)).isEqualTo("sh " + RUN + " --silent --toolkit --override");
    assertThat(shown.get(1)).isEqualTo("sh " + PATCH + " --silent --accept-eula");
    assertThat(shown.get(2)).startsWith("plumb-write " + MARKER).contains("still absent");
    assertThat(((FactResult.Content) c.writes().get(MARKER)).text())
        .isEqualTo("# managed by plumb: CUDA patches applied, one version a line\n8.0.27.1\n");
  }

  @Test
  void toolkitInstalled_onlyPatch() {
    Change c = fresh().file(DIR + "/version.txt", "CUDA Version 8.0.27\n").diff();
    assertThat(Fixtures.shown(c)).hasSize(2);
    assertThat(Fixtures.shown(c).get(0)).isEqualTo("sh " + PATCH + " --silent --accept-eula");
  }

  @Test
  void allApplied_noChange_afterState() {
    Fixtures f = fresh().file(DIR + "/version.txt", "CUDA Version 8.0.27\n");
    Change c = f.diff();
    Change again = M.diff(Fixtures.params(M, P), f.after(c));
    assertThat(again.action()).isEqualTo(Action.NONE);
    assertThat(again.commands()).isEmpty();
  }

  @Test
  void converged_evenWhenInstallersAreGone() {
    Change c = fresh().file(DIR + "/version.txt", "CUDA Version 8.0.27\n").file(MARKER, "8.0.27.1\n")
        .cmd(NvidiaDriver.shaFact(RUN), 1, "").cmd(NvidiaDriver.shaFact(PATCH), 1, "")
        .cmd(CudaToolkit.link(Fixtures.params(M, P)), "/usr/local/cuda-8.0\n").diff();
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.notes()).isEmpty();
  }

  @Test
  void otherVersionInstalled_reinstalls_andShaMismatchBlocks() {
    Change c = fresh().file(DIR + "/version.txt", "CUDA Version 8.0.26\n")
        .cmd(NvidiaDriver.shaFact(PATCH), "e".repeat(64) + "  " + PATCH + "\n").diff();
    assertThat(Fixtures.shown(c).get(0)).startsWith("sh " + RUN);
    assertThat(c.blockers()).containsExactly("installer " + PATCH + " has sha256 " + "e".repeat(64) + ", the playbook says " + PSHA);
  }

  @Test
  void validate() {
    assertThat(Fixtures.validate(M, Map.of("version", "8.0.27", "patches", List.of(Map.of("version", "8.0.27.1")))).all())
        .extracting(Problem::message).containsExactly("patch needs installer", "patch needs sha256");
    assertThat(Fixtures.validate(M, P).all()).isEmpty();
  }

  @Test
  void cuda8_perl526OrLater_blocksSayingWhatToDo() {
    Change c = fresh().cmd(CudaToolkit.PERL, "5.026001").diff();
    assertThat(c.blockers()).singleElement().asString()
        .startsWith("CUDA 8.0.27's runfile installs nothing under Perl 5.26 or later (this host has Perl 5.26.1")
        .contains("--tar mxvf", "PERL5LIB", "CUDA 9.2 or later");
    assertThat(fresh().cmd(CudaToolkit.PERL, "5.036000").diff().blockers()).singleElement().asString().contains("Perl 5.36.0");
  }

  @Test
  void cuda8_perlBefore526_orNoPerlAnswer_installs() {
    assertThat(fresh().cmd(CudaToolkit.PERL, "5.022001").diff().blockers()).isEmpty();
    assertThat(fresh().cmd(CudaToolkit.PERL, 1, "").diff().blockers()).isEmpty();
  }

  @Test
  void cuda8_installedAlready_perlDoesNotMatter() {
    Change c = fresh().file(DIR + "/version.txt", "CUDA Version 8.0.27\n").file(MARKER, "8.0.27.1\n")
        .cmd(CudaToolkit.PERL, "5.026001").diff();
    assertThat(c.action()).isEqualTo(Action.NONE);
    assertThat(c.blockers()).isEmpty();
  }

  @Test
  void cuda11_perl536_noBlocker() {
    assertThat(CudaToolkit.perlProblem(Version.of("11.2.0"), RUN, "5.036000")).isEmpty();
    assertThat(CudaToolkit.perlProblem(Version.of("7.5.18"), RUN, "5.026001")).isPresent();
  }
}

package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --format junit: one suite per host, one case per resource; drift fails, unreachable errs; valid per junit-10.xsd. */
class JunitReportTest {
  @TempDir Path dir;
  Path inventory;
  Path playbook;
  Path grub;

  @BeforeEach
  void setUp() throws Exception {
    grub = Files.writeString(dir.resolve("grub"), "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"\"\n");
    Files.writeString(dir.resolve("ok.conf"), "a=1\n");
    // "down" is an SSH host on a port nothing listens on: unreachable at once.
    inventory = Files.writeString(dir.resolve("hosts.yml"), """
        all:
          hosts:
            here: {ansible_connection: local}
            down: {ansible_host: 127.0.0.1, ansible_port: 1, ansible_user: root}
        """);
    playbook = Files.writeString(dir.resolve("play.yml"), """
        - hosts: all
          resources:
            - line: {path: %1$s, regexp: '^GRUB_CMDLINE_LINUX=', line: 'GRUB_CMDLINE_LINUX="intel_iommu=on"'}
              name: iommu
            - line: {path: %2$s/ok.conf, regexp: '^a=', line: 'a=1'}
              name: a
        """.formatted(grub, dir));
  }

  @Test
  void check_junit_driftIsAFailureWithTheDiff_unreachableIsAnError_andValidates() {
    Cli check = Cli.run("check", "--format", "junit", "-i", inventory.toString(), playbook.toString());
    assertThat(check.exit()).as(check.toString()).isEqualTo(3);
    JunitSchema.validate(check.out());
    assertThat(check.out())
        .contains("<testsuites name=\"plumb check " + playbook + "\" tests=\"3\" failures=\"1\" errors=\"1\"")
        .contains("<testsuite name=\"here\" hostname=\"here\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\"")
        .containsPattern("<testcase classname=\"here\" name=\"line\\[iommu\\]\" time=\"[0-9.]+\">\\s*<failure message=\"update: ")
        .contains("+GRUB_CMDLINE_LINUX=\"intel_iommu=on\"")
        .containsPattern("<testcase classname=\"here\" name=\"line\\[a\\]\" time=\"[0-9.]+\"></testcase>")
        .contains("<testsuite name=\"down\" hostname=\"down\" tests=\"1\" failures=\"0\" errors=\"1\"")
        .containsPattern("<testcase classname=\"down\" name=\"host\" time=\"[0-9.]+\">\\s*<error message=\"unreachable: ");
  }

  @Test
  void apply_junit_convergedResourcesPass_andValidates() {
    Cli apply = Cli.run("apply", "--format", "junit", "-l", "here", "-i", inventory.toString(), playbook.toString());
    assertThat(apply.exit()).as(apply.toString()).isZero();
    JunitSchema.validate(apply.out());
    assertThat(apply.out()).contains("tests=\"2\" failures=\"0\" errors=\"0\"").doesNotContain("<failure", "<error");
  }

  @Test
  void plan_junit_isRefusedWithWhatToUse() {
    Cli plan = Cli.run("plan", "--format", "junit", playbook.toString());
    assertThat(plan.exit()).isEqualTo(1);
    assertThat(plan.err()).contains("--format junit is for check and apply");
  }

  @Test
  void schema_rejectsASuiteWithoutItsCounts() {
    assertThatThrownBy(() -> JunitSchema.validate("<testsuites><testsuite name=\"x\"/></testsuites>"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("not valid JUnit XML");
  }

  @Test
  void clean_replacesCharactersXmlCannotCarry() {
    assertThat(JunitRenderer.clean("a\u001b[31mb\u0000c\td")).isEqualTo("a\uFFFD[31mb\uFFFDc\td");
  }
}

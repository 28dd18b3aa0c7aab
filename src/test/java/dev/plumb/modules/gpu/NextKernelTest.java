package dev.plumb.modules.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The one reader of "the kernel that boots next" ({@link NextKernel#FACT}), from what its snippet
 * printed on the lab's profiles (src/test/resources/facts/PROFILE/next-kernel.out, captured with
 * {@code bin/lab exec HOST sh -c "$(cat src/test/resources/facts/next-kernel.sh)"}, the snippet
 * itself), and from outputs of the cases the lab has no profile for.
 */
class NextKernelTest {

  private static NextKernel captured(String profile) throws IOException {
    try (InputStream in = NextKernelTest.class.getResourceAsStream("/facts/" + profile + "/next-kernel.out")) {
      assertThat(in).as("fixture " + profile).isNotNull();
      return NextKernel.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void theCapturesComeFromTheFactsOwnSnippet() throws IOException {
    try (InputStream in = NextKernelTest.class.getResourceAsStream("/facts/next-kernel.sh")) {
      String script = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(((dev.plumb.facts.Fact.Command) NextKernel.FACT.fact()).script())
          .as("captured with: bin/lab exec HOST sh -c \"$(cat src/test/resources/facts/next-kernel.sh)\"").isEqualTo(script);
    }
  }

  @Test
  void ubuntu1604_theFirstLinuxLineOfGrubCfg_isTheRunningKernel() throws IOException {
    NextKernel k = captured("lab");
    assertThat(k.running()).isEqualTo("4.4.0-31-generic");
    assertThat(k.next()).isEqualTo("4.4.0-31-generic");
    assertThat(k.fromBootLoader()).isTrue();
    assertThat(k.pending()).isFalse();
    assertThat(k.hasHeaders("4.4.0-31-generic")).isTrue();
    assertThat(k.builtinOf("4.4.0-31-generic")).isEmpty();
  }

  @Test
  void rocky9_grubbysDefault_isTheNewerKernel_pending_withHeadersForBoth() throws IOException {
    NextKernel k = captured("rocky9");
    assertThat(k.running()).isEqualTo("5.14.0-362.8.1.el9_3.x86_64");
    assertThat(k.next()).as("grubby --info=DEFAULT, not the BLS grub.cfg without a linux line").isEqualTo("5.14.0-427.13.1.el9_4.x86_64");
    assertThat(k.pending()).isTrue();
    assertThat(k.hasHeaders(k.running())).isTrue();
    assertThat(k.hasHeaders(k.next())).isTrue();
  }

  @Test
  void centos7_linux16Line() throws IOException {
    NextKernel k = captured("centos7");
    assertThat(k.next()).isEqualTo("3.10.0-1160.el7.x86_64");
    assertThat(k.pending()).isFalse();
  }

  @Test
  void ubuntu2204_vfioPciBuiltIn_dashesAsUnderscores() throws IOException {
    NextKernel k = captured("ubuntu2204");
    assertThat(k.builtinOf(k.next())).contains("vfio", "vfio_pci", "vfio_iommu_type1").doesNotContain("vfio-pci");
    assertThat(k.builtinOf(k.running())).isEqualTo(k.builtinOf(k.next()));
  }

  @Test
  void grubbyFailing_fallsBackToTheGeneratedConfig_elseTheRunningKernel() {
    NextKernel bls = NextKernel.parse("running 5.14.0-362\ntool grubby\ntool grub2-mkconfig\ngrubby-failed\ncfg /boot/grub2/grub.cfg \n");
    assertThat(bls.next()).isEqualTo("5.14.0-362");
    assertThat(bls.fromBootLoader()).isFalse();
    NextKernel el8 = NextKernel.parse("running 4.18.0-80\ntool grubby\ntool grub2-mkconfig\ngrubby-failed\n"
        + "cfg /boot/grub2/grub.cfg /vmlinuz-4.18.0-147\n");
    assertThat(el8.next()).isEqualTo("4.18.0-147");
  }

  @Test
  void efiHost_theEfiConfigWins_asForKernelCmdline() {
    String out = "running 3.10.0-957\ntool grub2-mkconfig\nefi\ncfg /boot/efi/EFI/centos/grub.cfg /vmlinuz-3.10.0-1160\n"
        + "cfg /boot/grub2/grub.cfg /vmlinuz-3.10.0-957\n";
    assertThat(NextKernel.parse(out).next()).isEqualTo("3.10.0-1160");
    assertThat(NextKernel.parse(out.replace("efi\n", "")).next()).as("not booted by UEFI: grub2's config").isEqualTo("3.10.0-957");
  }

  @Test
  void debian_grubCfgBeforeGrub2Cfg_andTheReverseElsewhere() {
    String cfgs = "cfg /boot/grub2/grub.cfg /vmlinuz-B\ncfg /boot/grub/grub.cfg /vmlinuz-A\n";
    assertThat(NextKernel.parse("running A\ntool update-grub\n" + cfgs).next()).isEqualTo("A");
    assertThat(NextKernel.parse("running A\ntool grub2-mkconfig\n" + cfgs).next()).isEqualTo("B");
  }

  @Test
  void nothingRead_isTheRunningKernel_notPending() {
    NextKernel k = NextKernel.parse("running 4.4.0-31-generic\n");
    assertThat(k.next()).isEqualTo("4.4.0-31-generic");
    assertThat(k.pending()).isFalse();
    assertThat(k.hasHeaders("4.4.0-31-generic")).isFalse();
  }
}

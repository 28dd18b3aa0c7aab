package dev.plumb.modules.gpu;

import dev.plumb.facts.Fact;
import dev.plumb.facts.FactResult;
import dev.plumb.facts.FactSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel the host boots next, read from the boot loader's default entry ({@code grubby
 * --info=DEFAULT} on BLS hosts, else the generated grub.cfg's first {@code linux} line), and the
 * running one. After a kernel update they differ: an initramfs rebuilt for the running kernel
 * ({@code dracut -f}, {@code update-initramfs -u}) is not the one the next boot loads.
 */
record NextKernel(String next, String running, boolean fromBootLoader) {

  /** The facts {@link #of} reads (the same snippets kernel_cmdline and nvidia_driver read: read once). */
  static List<Fact> facts() {
    return List.of(KernelCmdline.GRUBBY, Fact.file(KernelCmdline.GRUB_CFG), Fact.file(KernelCmdline.GRUB2_CFG),
        KernelCmdline.EFI_CFGS.fact(), NvidiaDriver.KERNEL, GpuFacts.TOOLS);
  }

  static NextKernel of(FactSet facts) {
    String running = facts.command(NvidiaDriver.KERNEL.script()).text().split("\n")[0].strip();
    Set<String> tools = GpuFacts.tools(facts);
    FactResult.Output grubby = facts.command(KernelCmdline.GRUBBY.script());
    Optional<String> image = tools.contains("grubby") && grubby.ok()
        ? GrubConfig.grubbyField(grubby.text(), "kernel")
        : KernelCmdline.nextBoot(facts, tools).text().flatMap(GrubConfig::defaultEntryImage);
    Optional<String> next = image.map(NextKernel::release).filter(r -> !r.isEmpty());
    return new NextKernel(next.orElse(running), running, next.isPresent());
  }

  /** {@code /boot/vmlinuz-5.14.0-427.el9.x86_64} or {@code (hd0,gpt2)/vmlinuz-…} → the release. */
  static String release(String image) {
    String name = image.substring(image.lastIndexOf('/') + 1);
    return name.startsWith("vmlinuz-") ? name.substring("vmlinuz-".length()) : "";
  }

  boolean pending() {
    return !next.isEmpty() && !next.equals(running);
  }
}

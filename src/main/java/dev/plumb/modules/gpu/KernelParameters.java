package dev.plumb.modules.gpu;

import dev.plumb.source.Suggest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The kernel's documented command line parameters (the classpath copy of
 * Documentation/admin-guide/kernel-parameters.txt, one name per line) and the lint of one token.
 */
final class KernelParameters {
  static final String RESOURCE = "/dev/plumb/kernel-parameters.txt";

  /** Known misspellings, most of them seen in the wild (the seed writes iommu_intel=on). */
  static final Map<String, String> TYPOS = Map.of(
      "iommu_intel", "intel_iommu",
      "iommu_amd", "amd_iommu",
      "intel_iommu_on", "intel_iommu",
      "vfio_pci_ids", "vfio-pci.ids",
      "vfio_ids", "vfio-pci.ids",
      "blacklist", "module_blacklist",
      "nouveau_modeset", "nouveau.modeset",
      "iommu_pt", "iommu");

  /** Read by userspace (init, plymouth) rather than the kernel; the kernel passes them on. */
  static final Set<String> USERSPACE = Set.of("splash", "nosplash", "rhgb", "single", "emergency", "rescue", "BOOT_IMAGE");

  /**
   * The options intel_iommu= takes (drivers/iommu/intel/iommu.c, intel_iommu_setup: a comma list;
   * anything else is "Unknown option" and ignored, so intel_iommu=1 leaves the IOMMU off).
   */
  static final Set<String> INTEL_IOMMU = Set.of("on", "off", "igfx_off", "forcedac", "strict", "sp_off", "sm_on", "sm_off",
      "tboot_noforce", "nobounce");

  /** Parameters of the modules plumb sets on the command line (modinfo -p), by normalised module name. */
  static final Map<String, Set<String>> MODULE_PARAMS = Map.of(
      "vfio_pci", Set.of("ids", "nointxmask", "disable_vga", "disable_idle_d3", "enable_sriov", "disable_denylist"),
      "vfio_iommu_type1", Set.of("allow_unsafe_interrupts", "disable_hugepages", "dma_entry_limit"));

  /** One lint result for a token. */
  record Finding(boolean error, String message, String fix) {}

  private static KernelParameters instance;

  private final Set<String> names;

  KernelParameters(Set<String> names) {
    this.names = names;
  }

  static synchronized KernelParameters get() {
    if (instance == null) {
      try (InputStream in = KernelParameters.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing classpath resource " + RESOURCE);
        }
        instance = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** Names from the file: comments and {@code <module>.} templates skipped, trailing '=' cut. */
  static KernelParameters parse(String text) {
    Set<String> names = new TreeSet<>();
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith("<")) {
        continue;
      }
      names.add(normal(l.endsWith("=") ? l.substring(0, l.length() - 1) : l));
    }
    return new KernelParameters(names);
  }

  // The kernel treats '-' and '_' in parameter names as the same character.
  static String normal(String name) {
    return name.replace('-', '_');
  }

  boolean known(String key) {
    return names.contains(normal(key));
  }

  /** Problems with one token ({@code key}, {@code key=value}), empty when it is fine. */
  Optional<Finding> lint(String token) {
    String key = CmdlineTokens.key(token);
    String value = CmdlineTokens.hasValue(token) ? token.substring(key.length() + 1) : null;
    String typo = TYPOS.get(normal(key));
    if (typo != null) {
      return Optional.of(unknown(key, typo + (value == null ? "" : "=" + value)));
    }
    if (normal(key).equals("amd_iommu") && "on".equals(value)) {
      return Optional.of(new Finding(false,
          "amd_iommu=on is not a switch on current kernels: the AMD IOMMU is on by default",
          "remove it; use iommu=pt if you want passthrough mode"));
    }
    if (normal(key).equals("intel_iommu") && value != null) {
      for (String v : value.split(",")) {
        if (!v.isEmpty() && !INTEL_IOMMU.contains(v)) {
          return Optional.of(new Finding(true, "intel_iommu does not take '" + v + "': the kernel ignores it"
              + (value.equals(v) ? " and the IOMMU stays off" : ""),
              "write intel_iommu=on (options: " + String.join(", ", new TreeSet<>(INTEL_IOMMU)) + ")"));
        }
      }
    }
    int dot = key.indexOf('.');
    if (dot > 0) {
      Set<String> params = MODULE_PARAMS.get(normal(key.substring(0, dot)));
      String param = key.substring(dot + 1);
      if (params != null && !params.contains(normal(param))) {
        String module = key.substring(0, dot);
        return Optional.of(new Finding(true, "module " + module + " has no parameter " + param
            + Suggest.closest(normal(param), params, 2).map(s -> "; did you mean " + module + "." + s + "?").orElse(""),
            "parameters of " + module + ": " + String.join(", ", new TreeSet<>(params))));
      }
    }
    if (USERSPACE.contains(key) || key.contains(".") || known(key)) {
      return Optional.empty();
    }
    return Optional.of(nearest(key)
        .map(n -> unknown(key, n + (value == null ? "" : "=" + value)))
        .orElse(new Finding(true, "unknown kernel parameter " + key
            + " (not in the kernel's kernel-parameters.txt; the kernel would ignore it)",
            "use a documented parameter, or <module>.<param>=value for a module parameter")));
  }

  private static Finding unknown(String key, String suggestion) {
    return new Finding(true, "unknown kernel parameter " + key + "; did you mean " + suggestion + "?",
        "write " + suggestion + " (the kernel silently ignores unknown parameters)");
  }

  /** The closest documented name, within a quarter of the key's length in edits (1 to 3). */
  Optional<String> nearest(String key) {
    String k = normal(key);
    return Suggest.closest(k, names, Math.max(1, Math.min(3, k.length() / 4)));
  }

}

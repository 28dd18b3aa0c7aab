package dev.plumb.modules.gpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pure parsers of what the NVIDIA driver's tools print. */
final class NvidiaFacts {
  private NvidiaFacts() {}

  private static final Pattern PROC_VERSION = Pattern.compile("Kernel Module\\s+(\\d+(?:\\.\\d+)*)");

  /** The loaded module's version from /proc/driver/nvidia/version ("NVRM version: … Kernel Module  367.35 …"). */
  static Optional<Version> loadedVersion(String procVersion) {
    Matcher m = PROC_VERSION.matcher(procVersion == null ? "" : procVersion);
    return m.find() ? Version.parse(m.group(1)) : Optional.empty();
  }

  /**
   * The installed nvidia module's version per kernel release, from {@link NvidiaDriver#MODINFO}'s
   * lines {@code RELEASE VERSION} ({@code modinfo -k RELEASE -F version nvidia}); a kernel
   * without the module has no line.
   */
  static Map<String, Version> installedByKernel(String output) {
    Map<String, Version> out = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length == 2 && Version.valid(f[1])) {
        out.put(f[0], Version.of(f[1]));
      }
    }
    return out;
  }

  /** One GPU as nvidia-smi sees it. */
  record SmiGpu(Version driver, String busId) {}

  /** {@code nvidia-smi --query-gpu=driver_version,pci.bus_id --format=csv,noheader} lines. */
  static List<SmiGpu> smi(String output) {
    List<SmiGpu> out = new ArrayList<>();
    for (String line : output.split("\n")) {
      String[] f = line.split(",");
      if (f.length >= 2 && Version.valid(f[0].strip())) {
        out.add(new SmiGpu(Version.of(f[0].strip()), busId(f[1])));
      }
    }
    return out;
  }

  /** nvidia-smi's {@code 00000000:01:00.0} as sysfs writes it: {@code 0000:01:00.0}. */
  static String busId(String smiBusId) {
    String s = GpuFacts.lower(smiBusId.strip());
    Matcher m = Pattern.compile("^([0-9a-f]+):([0-9a-f]{2}:[0-9a-f]{2}\\.[0-7])$").matcher(s);
    if (!m.matches()) {
      return s;
    }
    String domain = m.group(1);
    domain = domain.length() > 4 ? domain.substring(domain.length() - 4) : "0".repeat(4 - domain.length()) + domain;
    return domain + ":" + m.group(2);
  }

  /** Versions of a dkms module that {@code dkms status} lists as installed for {@code kernel}. */
  static List<Version> dkmsInstalled(String status, String module, String kernel) {
    List<Version> out = new ArrayList<>();
    // "nvidia/367.35, 4.4.0-31-generic, x86_64: installed" (dkms 2.2+), or "nvidia, 367.35, 4.4.0-31-generic, x86_64: installed".
    for (String line : status.split("\n")) {
      String[] head = line.split(":", 2);
      if (head.length < 2 || !head[1].strip().startsWith("installed")) {
        continue;
      }
      String[] f = head[0].split(",");
      List<String> fields = new ArrayList<>();
      for (String x : f) {
        fields.addAll(List.of(x.strip().split("/")));
      }
      if (fields.size() >= 3 && fields.get(0).equals(module) && Version.valid(fields.get(1))
          && (kernel == null || fields.get(2).equals(kernel))) {
        out.add(Version.of(fields.get(1)));
      }
    }
    return out;
  }

  /** Who holds the loaded nvidia module. */
  record Users(int refcount, List<String> holders, List<String> processes, boolean lsof) {
    /** The nvidia driver's own modules, which the installer unloads itself when nothing uses them. */
    private static final List<String> OWN = List.of("nvidia_uvm", "nvidia_modeset", "nvidia_drm");

    /**
     * In use: a process holds /dev/nvidia* open, another module depends on it, or (without lsof)
     * the refcount counts more than its own holder modules.
     */
    boolean inUse() {
      return !processes.isEmpty() || holders.stream().anyMatch(h -> !OWN.contains(h))
          || (!lsof && refcount > holders.size());
    }

    String describe() {
      List<String> parts = new ArrayList<>(processes);
      holders.stream().filter(h -> !OWN.contains(h)).forEach(h -> parts.add("module " + h));
      if (parts.isEmpty()) {
        parts.add("something plumb could not name (refcount " + refcount + ", holders " + holders.size()
            + "; install lsof to see the processes)");
      }
      return String.join(", ", parts);
    }
  }

  /** The output of {@link NvidiaDriver#USERS}: {@code refcnt N}, {@code holder M}, then lsof's {@code -F pc} fields. */
  static Users users(String output) {
    int refcount = 0;
    List<String> holders = new ArrayList<>();
    List<String> processes = new ArrayList<>();
    boolean lsof = false;
    String pid = null;
    for (String line : output.split("\n")) {
      if (line.startsWith("refcnt ")) {
        try {
          refcount = Integer.parseInt(line.substring(7).strip());
        } catch (NumberFormatException e) {
          refcount = 0;
        }
      } else if (line.startsWith("holder ")) {
        holders.add(line.substring(7).strip());
      } else if (line.equals("lsof")) {
        lsof = true;
      } else if (lsof && line.startsWith("p")) {
        pid = line.substring(1);
      } else if (lsof && line.startsWith("c") && pid != null) {
        String p = line.substring(1) + " (pid " + pid + ")";
        if (!processes.contains(p)) {
          processes.add(p);
        }
      }
    }
    return new Users(refcount, holders, processes, lsof);
  }
}

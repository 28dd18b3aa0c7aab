package dev.plumb.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The lab of simulated GPU hosts (see lab/README.md) as a JUnit fixture: {@code try (Lab lab =
 * Lab.up(2)) { ... }} starts lab01..lab02 from a fresh state and stops them on close.
 */
public final class Lab implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  /** The port every simulated sshd listens on. */
  public static final int PORT = 2222;

  private static final Duration UP_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Path root;
  private final List<String> hosts;

  private Lab(Path root, List<String> hosts) {
    this.root = root;
    this.hosts = List.copyOf(hosts);
  }

  /** Runs {@code bin/lab up n --fresh}: hosts lab01..labN, fresh state, no knobs. */
  public static Lab up(int n) {
    Lab lab = fresh(n);
    lab.bringUp();
    return lab;
  }

  /**
   * The lab of one test class, not started yet: {@code @RegisterExtension static final Lab lab =
   * Lab.fresh(2);} brings lab01..lab02 up fresh before the class's {@code @BeforeAll} methods run
   * and takes it down after its {@code @AfterAll} methods, so each IT states only its size.
   */
  public static Lab fresh(int n) {
    if (n < 1 || n > 1000) {
      throw new IllegalArgumentException("lab size (" + n + ") must be between 1 and 1000");
    }
    List<String> names = new ArrayList<>();
    int width = n > 99 ? 3 : 2;
    for (int i = 1; i <= n; i++) {
      names.add(String.format("lab%0" + width + "d", i));
    }
    return new Lab(repoRoot(), names);
  }

  private void bringUp() {
    requireTools();
    run(UP_TIMEOUT, "up", Integer.toString(hosts.size()), "--fresh");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    bringUp();
  }

  /** Takes the lab down even when it did not come up whole (bin/lab down is idempotent). */
  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** The repository root: system property {@code plumb.root}, else the current directory. */
  static Path repoRoot() {
    String property = System.getProperty("plumb.root");
    Path root = Path.of(property == null || property.isBlank() ? "" : property).toAbsolutePath();
    if (!Files.isExecutable(root.resolve("bin/lab"))) {
      throw new IllegalStateException(
          "no bin/lab under " + root + ": set -Dplumb.root to the repository root");
    }
    return root;
  }

  private static void requireTools() {
    if (!Files.isExecutable(Path.of("/usr/sbin/sshd"))) {
      throw new IllegalStateException(
          "the lab needs /usr/sbin/sshd (OpenSSH server): run bin/test, which installs openssh-server");
    }
    for (String tool : List.of("unshare", "nsenter", "ssh-keygen")) {
      if (!onPath(tool)) {
        throw new IllegalStateException(
            "the lab needs " + tool + " on PATH: run bin/test, which installs openssh-server");
      }
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    return Arrays.stream(path.split(":"))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
  }

  /** Host names, lab01 first. */
  public List<String> hosts() {
    return hosts;
  }

  /** The loopback address of a host: 127.NET.(1 + (i-1)/250).((i-1)%250 + 1), NET = $PLUMB_LAB_NET or 0. */
  public String address(String name) {
    int i = hosts.indexOf(name) + 1;
    if (i == 0) {
      throw new IllegalArgumentException("no host " + name + " in this lab (hosts: " + hosts + ")");
    }
    // bin/lab moves the whole lab to 127.<PLUMB_LAB_NET>.x.y
    String net = System.getenv().getOrDefault("PLUMB_LAB_NET", "0");
    return "127." + (net.isBlank() ? "0" : net.strip()) + "." + (1 + (i - 1) / 250) + "." + ((i - 1) % 250 + 1);
  }

  /** The repository root the lab runs in. */
  public Path root() {
    return root;
  }

  /** .lab/inventory.yml: Ansible YAML inventory of these hosts (paths relative to it). */
  public Path inventory() {
    return root.resolve(".lab/inventory.yml");
  }

  /**
   * Writes the lab's inventory to {@code file} with its hosts in {@code group} (the lab's own is
   * {@code hypervisors}) and the key and known_hosts as absolute paths, so that it works from any
   * directory and for a playbook that targets another group.
   */
  public Path writeInventory(Path file, String group) {
    try {
      return Files.writeString(file, Files.readString(inventory())
          .replace("hypervisors:", group + ":")
          .replace("ansible_ssh_private_key_file: id_ed25519", "ansible_ssh_private_key_file: " + keyFile())
          .replace("known_hosts_file: known_hosts", "known_hosts_file: " + knownHosts()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** .lab/id_ed25519: the client key every host accepts for root. */
  public Path keyFile() {
    return root.resolve(".lab/id_ed25519");
  }

  /** .lab/known_hosts: one {@code [127.0.1.N]:2222 ssh-ed25519 ...} line per host. */
  public Path knownHosts() {
    return root.resolve(".lab/known_hosts");
  }

  /** Runs a command inside a host's namespaces (not over SSH); stdout, or throws on non-zero exit. */
  public String exec(String name, String... command) {
    List<String> args = new ArrayList<>(List.of("exec", name));
    args.addAll(Arrays.asList(command));
    return run(TIMEOUT, args.toArray(String[]::new));
  }

  /** The driver bound to a host's PCI function (e.g. {@code vfio-pci}), or "" when none is. */
  public String driver(String name, String pciAddress) {
    String link = exec(name, "sh", "-c", "readlink /sys/bus/pci/devices/" + pciAddress + "/driver || true").strip();
    return link.substring(link.lastIndexOf('/') + 1);
  }

  /** Exec requests the host's sshd accepted since its fresh state (one per SSH exec channel). */
  public int execCount(String name) {
    return Integer.parseInt(run(TIMEOUT, "execs", name).trim());
  }

  /** Calls of a stub or installer since fresh, e.g. {@code calls("lab01", "update-grub")}. */
  public int calls(String name, String command) {
    return Integer.parseInt(run(TIMEOUT, "calls", name, command).trim());
  }

  /** Reboots since fresh. */
  public int reboots(String name) {
    return Integer.parseInt(run(TIMEOUT, "reboots", name).trim());
  }

  /** Restores a host's fresh state (its knobs stay); restarts it if it was up. */
  public void reset(String name) {
    run(TIMEOUT, "reset", name);
  }

  /** Sets a knob, {@code key=value}; hardware knobs take effect at {@link #reset}. */
  public void set(String name, String keyValue) {
    run(TIMEOUT, "set", name, keyValue);
  }

  /** Stops one host: its address refuses connections until {@link #start}. */
  public void stop(String name) {
    run(TIMEOUT, "stop", name);
  }

  /** Starts a stopped host again, with the state it had. */
  public void start(String name) {
    run(TIMEOUT, "start", name);
  }

  /** Runs {@code bin/lab down}. */
  @Override
  public void close() {
    run(TIMEOUT, "down");
  }

  private String run(Duration timeout, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(root.resolve("bin/lab").toString());
    argv.addAll(Arrays.asList(args));
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("lab-out", ".txt");
      err = Files.createTempFile("lab-err", ".txt");
      // Files, not pipes: a slow reader must never block bin/lab.
      Process process =
          new ProcessBuilder(argv)
              .directory(root.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "bin/lab " + String.join(" ", args) + " timed out after " + timeout.toSeconds() + " s");
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "bin/lab "
                + String.join(" ", args)
                + " exited "
                + process.exitValue()
                + ": "
                + Files.readString(err, StandardCharsets.UTF_8).strip()
                + (stdout.isBlank() ? "" : "\nstdout: " + stdout.strip()));
      }
      return stdout;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run bin/lab: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running bin/lab", e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover temp file is harmless.
      }
    }
  }
}

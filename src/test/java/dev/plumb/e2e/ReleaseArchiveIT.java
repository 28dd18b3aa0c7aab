package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive (bin/package, from what {@code mvn package} built): unpacked in an empty
 * directory, away from the source tree, it runs with only the JRE: --version, and a plan of a
 * shipped playbook on this machine, through the symbolic link the README's install makes.
 */
class ReleaseArchiveIT {
  @TempDir Path dir;

  record Run(int exit, String out) {}

  private Run run(Path cwd, Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void archive_unpackedAwayFromTheSources_printsItsVersion_andPlansAShippedPlaybook() throws Exception {
    Path root = Plumb.root();
    Run pack = run(root, Map.of(), "bash", root.resolve("bin/package").toString(), "--no-build");
    assertThat(pack.exit()).as(pack.out()).isZero();
    Path archive = root.resolve(pack.out().strip().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(archive.getFileName().toString()).matches("plumb-[0-9][^/]*\\.tar\\.gz");
    String name = archive.getFileName().toString().replace(".tar.gz", "");

    Run list = run(dir, Map.of(), "tar", "-tzf", archive.toString());
    assertThat(list.exit()).isZero();
    List<String> entries = list.out().lines().toList();
    assertThat(entries).contains(name + "/bin/plumb", name + "/plumb.jar", name + "/cds/plumb.classlist",
        name + "/README.md", name + "/playbooks/gpu-hypervisor.yml");
    assertThat(entries).anyMatch(e -> e.startsWith(name + "/lib/") && e.endsWith(".jar"));
    assertThat(entries).noneMatch(e -> e.contains("/src/") || e.endsWith("pom.xml") || e.endsWith(".java"));

    // Installed as the README says: unpacked, and a link to bin/plumb on the PATH.
    Path opt = Files.createDirectories(dir.resolve("opt"));
    assertThat(run(dir, Map.of(), "tar", "-xzf", archive.toString(), "-C", opt.toString()).exit()).isZero();
    Path bin = Files.createDirectories(dir.resolve("usr-local-bin"));
    Files.createSymbolicLink(bin.resolve("plumb"), opt.resolve(name + "/bin/plumb"));
    Path home = Files.createDirectories(dir.resolve("home"));
    Map<String, String> env = Map.of("HOME", home.toString(), "PATH", bin + ":" + System.getenv("PATH"));

    String plumb = bin.resolve("plumb").toString(); // the link, as a shell on that PATH would find it
    Run version = run(dir, env, plumb, "--version");
    assertThat(version.exit()).as(version.out()).isZero();
    assertThat(version.out()).startsWith(name.replace('-', ' ') + " (Java ");

    Run plan = run(dir, env, plumb, "plan", "--no-color", "opt/" + name + "/playbooks/gpu-hypervisor.yml");
    assertThat(plan.exit()).as(plan.out()).isZero();
    assertThat(plan.out()).containsPattern("(?m)^localhost  ").contains("kernel_cmdline[iommu]")
        .containsPattern("(?m)^Plan: .* on 1 host\\.").doesNotContainIgnoringCase("exception");
    try (var cached = Files.list(home.resolve(".cache/plumb"))) {
      assertThat(cached.map(p -> p.getFileName().toString()).toList()).as("the class-data-sharing archive, dumped once")
          .anyMatch(f -> f.startsWith(name) && f.endsWith(".jsa"));
    }
    List<String> left = new ArrayList<>();
    try (var files = Files.list(opt.resolve(name))) {
      files.forEach(f -> left.add(f.getFileName().toString()));
    }
    assertThat(left).as("nothing written into the installed tree").doesNotContain("plumb.jsa", "target");
  }
}

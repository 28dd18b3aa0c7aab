package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, drift adopt on a lab host in a real git repository: an operator's hand edits (a line,
 * an ini option declared through group_vars, a file's content) become the declaration through the
 * printed patch and git apply; check is then clean, and the host was only read (one exec, no file
 * written).
 */
class AdoptIT {
  @RegisterExtension static final Lab lab = Lab.fresh(1);
  @TempDir static Path repo;

  private static final String PLAY = """
      - hosts: hypervisors
        resources:
          - line: {path: /etc/sysctl.d/90-gpu.conf, regexp: '^vm.nr_hugepages', line: 'vm.nr_hugepages = 1024'}
          - ini:
              path: /etc/nova/nova.conf
              section: DEFAULT
              option: cpu_allocation_ratio
              value: "{{ cpu_ratio }}"
          - file:
              path: /etc/motd
              content: |
                managed by plumb
      """;

  @Test
  void handEdits_adoptPatch_gitApply_checkClean_hostOnlyRead() throws Exception {
    Files.writeString(repo.resolve("hosts.yml"), """
        all:
          vars: {ansible_user: root, ansible_port: 2222, ansible_ssh_private_key_file: %s, known_hosts_file: %s}
          children:
            hypervisors:
              hosts:
                lab01: {ansible_host: %s}
        """.formatted(lab.keyFile(), lab.knownHosts(), lab.address("lab01")));
    Files.createDirectories(repo.resolve("group_vars"));
    Files.writeString(repo.resolve("group_vars/hypervisors.yml"), "cpu_ratio: \"4.0\"  # reviewed in change 1234\n");
    Path playbook = Files.writeString(repo.resolve("play.yml"), PLAY);
    String inventory = repo.resolve("hosts.yml").toString();
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit().setMessage("fleet").setSign(false).call();
    }
    Plumb apply = Plumb.run("apply", "-i", inventory, playbook.toString());
    assertThat(apply.exit()).as(apply.toString()).isZero();

    lab.exec("lab01", "sh", "-c", "sed -i 's/= 1024/= 2048/' /etc/sysctl.d/90-gpu.conf"
        + " && sed -i 's/^cpu_allocation_ratio *=.*/cpu_allocation_ratio = 16.0/' /etc/nova/nova.conf"
        + " && printf 'managed by plumb\\nexcept tonight\\n' > /etc/motd");
    String stamps = lab.exec("lab01", "stat", "-c", "%n %Y %s", "/etc/sysctl.d/90-gpu.conf", "/etc/nova/nova.conf", "/etc/motd");
    int execs = lab.execCount("lab01");

    Plumb adopt = Plumb.run("drift", "adopt", "-i", inventory, playbook.toString(), "lab01");

    assertThat(adopt.exit()).as(adopt.toString()).isZero();
    assertThat(lab.execCount("lab01") - execs).as("adopt reads the facts in one exec").isEqualTo(1);
    assertThat(lab.exec("lab01", "stat", "-c", "%n %Y %s", "/etc/sysctl.d/90-gpu.conf", "/etc/nova/nova.conf", "/etc/motd"))
        .as("nothing written on the host").isEqualTo(stamps);
    assertThat(adopt.out()).contains("+cpu_ratio: \"16.0\"  # reviewed in change 1234\n", "vm.nr_hugepages = 2048",
        "+          except tonight\n");
    assertThat(Files.readString(playbook)).as("adopt writes nothing").isEqualTo(PLAY);

    Path patch = Files.writeString(repo.resolve("../adopt.patch"), adopt.out());
    Process git = new ProcessBuilder("git", "apply", patch.toString()).directory(repo.toFile()).redirectErrorStream(true).start();
    String gitOut = new String(git.getInputStream().readAllBytes());
    assertThat(git.waitFor()).as(gitOut).isZero();

    execs = lab.execCount("lab01");
    Plumb check = Plumb.run("check", "-i", inventory, playbook.toString());
    assertThat(check.exit()).as(check.toString()).isZero();
    assertThat(lab.exec("lab01", "stat", "-c", "%n %Y %s", "/etc/sysctl.d/90-gpu.conf", "/etc/nova/nova.conf", "/etc/motd"))
        .isEqualTo(stamps);
  }
}

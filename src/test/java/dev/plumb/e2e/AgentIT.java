package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import dev.plumb.transport.SshAgentProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, ssh-agent: the operator's key is passphrase-protected and held by a real ssh-agent;
 * the inventory names no key file and plumb is given no passphrase. The packaged CLI logs in with
 * the agent's key; once the agent is stopped, the same run fails as unreachable (exit 3) naming
 * every identity it tried and the agent's state.
 */
class AgentIT {
  private static final String PASSPHRASE = "agent-it-passphrase-7";

  @RegisterExtension static final Lab lab = Lab.fresh(1);
  @TempDir static Path dir;
  private static Path inventory;
  private static Path playbook;
  private static Path key;

  @BeforeAll
  static void up() throws Exception {
    key = dir.resolve("operator_ed25519");
    SshAgentProcess.keygen(key, "ed25519", PASSPHRASE, "operator@agent-it");
    String pub = Files.readString(Path.of(key + ".pub")).trim();
    // Authorized as on a real host (lab/README.md): root's ~/.ssh/authorized_keys, not the lab's key file.
    lab.exec("lab01", "sh", "-c", "mkdir -p /root/.ssh && printf '%s\\n' '" + pub + "' >> /root/.ssh/authorized_keys");
    inventory = Files.writeString(dir.resolve("inventory.yml"), """
        all:
          hosts:
            lab01: {ansible_host: %s, ansible_port: 2222, ansible_user: root, known_hosts_file: %s}
        """.formatted(lab.address("lab01"), lab.knownHosts()));
    playbook = Files.writeString(dir.resolve("play.yml"), """
        - hosts: all
          resources:
            - command:
                shell: echo via-agent > /var/tmp/agent-it
                creates: /var/tmp/agent-it
              name: logged-in-with-the-agent
        """);
    Files.createDirectories(dir.resolve("home"));
  }

  /** bin/plumb with only the agent: a home without ~/.ssh, so no default key is found either. */
  private static Plumb plumb(Path agentSocket, String... args) {
    return Plumb.subprocess(Plumb.root(), List.of(),
        Map.of("SSH_AUTH_SOCK", agentSocket.toString(), "PLUMB_JAVA_OPTS", "-Duser.home=" + dir.resolve("home")),
        args);
  }

  @Test
  void keyOnlyInTheAgent_runSucceeds_agentStopped_unreachableNamingTheIdentitiesTried() throws Exception {
    Path socket;
    try (SshAgentProcess agent = SshAgentProcess.start(Files.createDirectories(dir.resolve("agent")))) {
      agent.add(key, PASSPHRASE);
      socket = agent.socket();

      Plumb apply = plumb(socket, "apply", "--no-color", "--no-record", "-i", inventory.toString(), playbook.toString());

      assertThat(apply.exit()).as(apply.toString()).isZero();
      assertThat(lab.exec("lab01", "cat", "/var/tmp/agent-it")).isEqualTo("via-agent\n");
      assertThat(apply.out() + apply.err()).doesNotContain(PASSPHRASE);
    }

    Plumb check = plumb(socket, "check", "--no-color", "-i", inventory.toString(), playbook.toString());

    assertThat(check.exit()).as(check.toString()).isEqualTo(3);
    String fingerprint = keygenFingerprint(key);
    assertThat(check.out() + check.err()).as(check.toString())
        .contains("no usable credentials for root@" + lab.address("lab01") + ":2222")
        .contains("ssh-agent at " + socket + " is unreachable")
        .contains("ssh-add")
        .doesNotContain(fingerprint); // the agent is gone: it offered nothing
  }

  private static String keygenFingerprint(Path file) throws Exception {
    Process p = new ProcessBuilder("ssh-keygen", "-l", "-f", file + ".pub").start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).isZero();
    return out.split("\\s+")[1];
  }
}

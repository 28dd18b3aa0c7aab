package dev.plumb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: the become password reaches sudo and nothing else, whatever sudo decides. Three
 * logins to the same lab host: alice (sudo asks for her password), bob (NOPASSWD: sudo never
 * reads it) and root (no sudo at all); each writes a root-owned file with a become password set.
 * Before the fix bob's file began with the password.
 */
class BecomeIT {
  private static final String ALICE_PW = "alice-pw-1234";
  private static final String BOB_PW = "bob-pw-5678";

  @RegisterExtension static final Lab lab = Lab.fresh(1);
  @TempDir static Path dir;
  private static Path inventory;
  private static Path playbook;

  @BeforeAll
  static void up() throws Exception {
    lab.exec("lab01", "sh", "-c", String.join(" && ",
        "echo '127.0.0.1 lab01' >> /etc/hosts",
        "useradd -m -s /bin/sh alice", "useradd -m -s /bin/sh bob",
        "echo 'alice:" + ALICE_PW + "' | chpasswd", "echo 'bob:" + BOB_PW + "' | chpasswd",
        "echo 'alice ALL=(ALL) ALL' > /etc/sudoers.d/alice",
        "echo 'bob ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/bob",
        "chmod 440 /etc/sudoers.d/alice /etc/sudoers.d/bob",
        "mkdir -p /etc/plumb-become", "chmod 755 /etc/plumb-become"));
    String address = lab.address("lab01");
    inventory = Files.writeString(dir.resolve("inventory.yml"), """
        all:
          vars:
            ansible_port: 2222
            ansible_host: %s
            ansible_ssh_private_key_file: %s
            known_hosts_file: %s
            ansible_become: true
          hosts:
            as-alice: {ansible_user: alice, ansible_become_password: %s}
            as-bob: {ansible_user: bob, ansible_become_password: %s}
            as-root: {ansible_user: root, ansible_become_password: root-pw-9999}
        """.formatted(address, lab.keyFile(), lab.knownHosts(), ALICE_PW, BOB_PW));
    playbook = Files.writeString(dir.resolve("play.yml"), """
        - hosts: all
          resources:
            - file:
                path: /etc/plumb-become/{{ inventory_hostname }}
                content: "GRUB_DEFAULT=0\\n"
                mode: "0644"
        """);
  }

  @Test
  void apply_passwordSudo_nopasswdSudo_root_fileHoldsOnlyItsContent_andNoOutputHoldsThePassword() {
    // The three inventory hosts are one machine, so they share its apply lease: one at a time.
    Plumb apply = Plumb.run("apply", "--forks", "1", "--format", "json", "-i", inventory.toString(), playbook.toString());
    assertThat(apply.exit()).as(apply.toString()).isZero();
    for (String host : new String[] {"as-alice", "as-bob", "as-root"}) {
      String content = lab.exec("lab01", "cat", "/etc/plumb-become/" + host);
      assertThat(content).as(host).isEqualTo("GRUB_DEFAULT=0\n");
      assertThat(lab.exec("lab01", "stat", "-c", "%U %a", "/etc/plumb-become/" + host).strip()).as(host)
          .isEqualTo("root 644");
    }
    assertThat(apply.out() + apply.err()).doesNotContain(ALICE_PW, BOB_PW, "root-pw-9999");

    Plumb check = Plumb.run("check", "-i", inventory.toString(), playbook.toString());
    assertThat(check.exit()).as(check.toString()).isZero();
  }

  @Test
  void apply_wrongBecomePassword_failsTheHost_withoutWritingAnything() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong.yml"), """
        all:
          hosts:
            as-alice-wrong:
              ansible_host: %s
              ansible_port: 2222
              ansible_user: alice
              ansible_ssh_private_key_file: %s
              known_hosts_file: %s
              ansible_become: true
              ansible_become_password: not-her-password
        """.formatted(lab.address("lab01"), lab.keyFile(), lab.knownHosts()));
    Plumb apply = Plumb.run("apply", "-i", wrong.toString(), playbook.toString());
    assertThat(apply.exit()).as(apply.toString()).isEqualTo(3);
    assertThat(apply.out()).contains("password is required").doesNotContain("not-her-password");
    assertThat(lab.exec("lab01", "sh", "-c", "ls /etc/plumb-become")).doesNotContain("as-alice-wrong");
  }
}

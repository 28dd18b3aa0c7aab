package dev.plumb.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPassword;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.PasswordUtils;
import net.schmizz.sshj.userauth.password.Resource;

/**
 * What one host's login offers, in order, and what each offer was (for the error when none works).
 *
 * <p>The identity files first, in their order (inventory, ssh config, default keys); a file whose
 * public key the agent holds is signed by the agent in that place, so an encrypted key that was
 * ssh-add'ed needs no passphrase. Then the agent's other keys, unless IdentitiesOnly. Then the
 * password. OpenSSH offers the same keys; it puts the agent's keys first, which plumb does not, so
 * that the inventory's key is always the first one a host sees (sshd counts every offer against
 * MaxAuthTries).
 *
 * @param methods sshj's auth methods, in the order they are tried
 * @param tried one line per identity: the file or agent key, and why it was not offered if it was not
 * @param agent what became of the agent: null when it was asked and held keys, else why it gave none
 */
record Credentials(List<AuthMethod> methods, List<String> tried, String agent) {

  static Credentials of(SshSettings s, SSHClient client) {
    List<AuthMethod> methods = new ArrayList<>();
    List<String> tried = new ArrayList<>();
    SshAgent agent = s.agentSocket() == null ? null : new SshAgent(s.agentSocket(), s.connectTimeout());
    List<SshAgent.Identity> held = List.of();
    String agentState = null;
    if (agent == null) {
      agentState = "no ssh-agent (" + Connections.AGENT_SOCKET_ENV + " is not set)";
    } else {
      try {
        held = agent.identities();
        if (held.isEmpty()) {
          agentState = "ssh-agent at " + agent.socket() + " holds no keys";
        }
      } catch (IOException e) {
        agentState = "ssh-agent at " + agent.socket() + " is unreachable (" + SshConnection.describe(e) + ")";
      }
    }

    Set<SshAgent.Identity> offered = new HashSet<>();
    for (Path file : s.identityFiles()) {
      SshAgent.Identity inAgent = find(held, publicKeyOf(file));
      if (inAgent != null) {
        if (offered.add(inAgent)) {
          methods.add(new AgentAuth(agent, inAgent));
          tried.add(file + " (signed by ssh-agent: " + inAgent.describe() + ")");
        }
        continue;
      }
      if (!Files.isRegularFile(file)) {
        tried.add(file + " (missing)");
        continue;
      }
      try {
        KeyProvider key = client.loadKeys(file.toString(), passphraseFinder(s));
        // Decrypt now, not mid-auth, so that a wrong or missing passphrase is reported as such.
        key.getPrivate();
        methods.add(new AuthPublickey(key));
        tried.add(file.toString());
      } catch (IOException | RuntimeException e) {
        tried.add(file + " (unusable: " + SshConnection.describe(e)
            + (s.keyPassphrase() == null
                ? "; if it is encrypted, ssh-add it to ssh-agent or set " + Connections.KEY_PASSPHRASE_ENV
                : "")
            + ")");
      }
    }
    for (SshAgent.Identity key : held) {
      if (offered.contains(key)) {
        continue;
      }
      if (s.identitiesOnly()) {
        tried.add("ssh-agent key " + key.describe() + " (not offered: IdentitiesOnly yes, and no identity file is this key)");
      } else {
        methods.add(new AgentAuth(agent, key));
        tried.add("ssh-agent key " + key.describe());
      }
    }
    if (s.password() != null) {
      methods.add(new AuthPassword(PasswordUtils.createOneOff(s.password().toCharArray())));
    }
    return new Credentials(List.copyOf(methods), List.copyOf(tried), agentState);
  }

  /** The identities tried and the agent's state, for a message: "[a, b]; ssh-agent at … holds no keys". */
  String summary() {
    return "identities tried: "
        + (tried.isEmpty()
            ? "none (no key file in the inventory or ssh config, no default key ~/.ssh/id_ed25519, id_ecdsa, id_rsa)"
            : String.join(", ", tried))
        + (agent == null ? "" : "; " + agent);
  }

  private static SshAgent.Identity find(List<SshAgent.Identity> held, byte[] blob) {
    if (blob == null) {
      return null;
    }
    for (SshAgent.Identity key : held) {
      if (key.sameKey(blob)) {
        return key;
      }
    }
    return null;
  }

  private static final String OPENSSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----";
  private static final byte[] OPENSSH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

  /**
   * The public key blob of an identity file without decrypting it, as ssh(1) finds it: from
   * {@code FILE.pub}, else from the clear header of an OpenSSH-format private key. Null when
   * neither is there (a PEM key without its .pub is only known once decrypted).
   */
  static byte[] publicKeyOf(Path file) {
    try {
      Path pub = file.resolveSibling(file.getFileName() + ".pub");
      if (Files.isRegularFile(pub)) {
        String[] fields = Files.readString(pub).trim().split("\\s+");
        return fields.length >= 2 ? Base64.getDecoder().decode(fields[1]) : null;
      }
      if (!Files.isRegularFile(file)) {
        return null;
      }
      String text = Files.readString(file, StandardCharsets.US_ASCII);
      int begin = text.indexOf(OPENSSH_KEY);
      int end = text.indexOf("-----END", begin + 1);
      if (begin < 0 || end < 0) {
        return null;
      }
      byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + OPENSSH_KEY.length(), end));
      ByteBuffer b = ByteBuffer.wrap(der);
      byte[] magic = new byte[OPENSSH_MAGIC.length];
      b.get(magic);
      if (!java.util.Arrays.equals(magic, OPENSSH_MAGIC)) {
        return null;
      }
      SshAgent.readBytes(b); // cipher
      SshAgent.readBytes(b); // kdf
      SshAgent.readBytes(b); // kdf options
      SshAgent.readInt(b); // number of keys; the first one's public key follows
      return SshAgent.readBytes(b);
    } catch (IOException | RuntimeException e) {
      // Unreadable or not a key: it is reported when it is loaded as a file.
      return null;
    }
  }

  private static PasswordFinder passphraseFinder(SshSettings s) {
    return new PasswordFinder() {
      @Override
      public char[] reqPassword(Resource<?> resource) {
        String passphrase = s.keyPassphrase() == null ? null : s.keyPassphrase().get();
        return passphrase == null ? null : passphrase.toCharArray();
      }

      @Override
      public boolean shouldRetry(Resource<?> resource) {
        return false;
      }
    };
  }
}

package dev.plumb.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;

/**
 * An SSH server in the test JVM (Apache MINA SSHD) on 127.0.0.1 and a random port: ed25519 host
 * key, public-key auth with a key written by ssh-keygen, optional password auth, commands run
 * with /bin/sh -c, direct-tcpip forwarding allowed and counted (for ProxyJump).
 */
final class EmbeddedSshd implements AutoCloseable {
  static final String USER = "tester";

  private final SshServer server;
  private final KeyPair hostKey;
  final Path clientKey;
  final AtomicInteger directTcpip = new AtomicInteger();
  final AtomicInteger sessions = new AtomicInteger();
  /** Prepended to PATH of the commands run, e.g. to put a fake sudo first; null: none. */
  volatile Path binDir;

  private EmbeddedSshd(SshServer server, KeyPair hostKey, Path clientKey) {
    this.server = server;
    this.hostKey = hostKey;
    this.clientKey = clientKey;
  }

  /** A server accepting the key in {@code dir}/id_test (created if missing) and, if non-null, the password. */
  static EmbeddedSshd start(Path dir, String password) throws Exception {
    Path clientKey = dir.resolve("id_test");
    if (!Files.exists(clientKey)) {
      keygen(clientKey);
    }
    KeyPairGenerator generator = SecurityUtils.getKeyPairGenerator(SecurityUtils.EDDSA);
    generator.initialize(256);
    KeyPair hostKey = generator.generateKeyPair();
    SshServer server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(dir.resolve("id_test.pub")));
    if (password != null) {
      server.setPasswordAuthenticator((user, given, session) -> USER.equals(user) && password.equals(given));
    }
    EmbeddedSshd sshd = new EmbeddedSshd(server, hostKey, clientKey);
    server.setCommandFactory((channel, command) -> new ShellCommand(command, sshd.binDir));
    server.setForwardingFilter(new AcceptAllForwardingFilter() {
      @Override
      public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
        sshd.directTcpip.incrementAndGet();
        return true;
      }
    });
    server.addSessionListener(new org.apache.sshd.common.session.SessionListener() {
      @Override
      public void sessionCreated(Session session) {
        sshd.sessions.incrementAndGet();
      }
    });
    // Ahead of MINA's own handlers: keepalives go unanswered while ignoreKeepalives is set (a host
    // that vanished without closing the connection).
    java.util.List<org.apache.sshd.common.channel.RequestHandler<org.apache.sshd.common.session.ConnectionService>> handlers =
        new java.util.ArrayList<>();
    handlers.add(new org.apache.sshd.common.session.helpers.AbstractConnectionServiceRequestHandler() {
      @Override
      public Result process(org.apache.sshd.common.session.ConnectionService service, String request, boolean wantReply,
          org.apache.sshd.common.util.buffer.Buffer buffer) {
        return request.startsWith("keepalive@") && sshd.ignoreKeepalives.get() ? Result.Replied : Result.Unsupported;
      }
    });
    handlers.addAll(server.getGlobalRequestHandlers());
    server.setGlobalRequestHandlers(handlers);
    server.start();
    return sshd;
  }

  static void keygen(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "plumb-test",
        "-f", file.toString())).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("ssh-keygen failed: " + output);
    }
  }

  /** While true, keepalive requests get no answer at all. */
  final java.util.concurrent.atomic.AtomicBoolean ignoreKeepalives = new java.util.concurrent.atomic.AtomicBoolean();

  int port() {
    return server.getPort();
  }

  /** The known_hosts line for this server. */
  String knownHostsLine() {
    // Written with MINA's encoder, not plumb's: the test checks one implementation against another.
    return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic());
  }

  String fingerprint() {
    return KeyUtils.getFingerPrint(hostKey.getPublic());
  }

  /** Settings for this server: key auth, a known_hosts file in {@code dir} that trusts it. */
  SshSettings.Builder settings(Path dir) throws IOException {
    Path knownHosts = dir.resolve("known_hosts");
    Files.writeString(knownHosts, knownHostsLine() + "\n");
    return SshSettings.builder("test-" + port())
        .address("127.0.0.1")
        .port(port())
        .user(USER)
        .identityFile(clientKey)
        .defaultKeyDir(null)
        .knownHostsFile(knownHosts)
        .connectTimeout(java.time.Duration.ofSeconds(5));
  }

  void stop() throws IOException {
    server.stop(true);
  }

  @Override
  public void close() throws IOException {
    stop();
  }

  /** Runs the command line with /bin/sh -c, as sshd does. */
  private static final class ShellCommand implements Command {
    private final String command;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;

    private final Path binDir;

    ShellCommand(String command, Path binDir) {
      this.command = command;
      this.binDir = binDir;
    }

    @Override public void setInputStream(InputStream in) { this.in = in; }
    @Override public void setOutputStream(OutputStream out) { this.out = out; }
    @Override public void setErrorStream(OutputStream err) { this.err = err; }
    @Override public void setExitCallback(ExitCallback callback) { this.exit = callback; }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
      ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command);
      if (binDir != null) {
        builder.environment().put("PATH", binDir + ":" + builder.environment().get("PATH"));
      }
      process = builder.start();
      Thread stdin = pump(in, process.getOutputStream(), true);
      Thread stdout = pump(process.getInputStream(), out, false);
      Thread stderr = pump(process.getErrorStream(), err, false);
      Thread waiter = new Thread(() -> {
        try {
          int status = process.waitFor();
          stdout.join();
          stderr.join();
          stdin.interrupt();
          exit.onExit(status);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "sshd-wait");
      waiter.setDaemon(true);
      waiter.start();
    }

    private static Thread pump(InputStream from, OutputStream to, boolean closeAfter) {
      Thread t = new Thread(() -> {
        byte[] buffer = new byte[8192];
        try {
          int n;
          while ((n = from.read(buffer)) >= 0) {
            to.write(buffer, 0, n);
            to.flush();
          }
        } catch (IOException e) {
          // peer gone
        } finally {
          if (closeAfter) {
            try {
              to.close();
            } catch (IOException e) {
              // ignore
            }
          }
        }
      }, "sshd-pump");
      t.setDaemon(true);
      t.start();
      return t;
    }

    @Override
    public void destroy(ChannelSession channel) {
      Process p = process;
      if (p != null) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }
}

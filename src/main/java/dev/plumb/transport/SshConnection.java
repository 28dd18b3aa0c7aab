package dev.plumb.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.userauth.UserAuthException;

/**
 * A connection to one host over SSH (sshj): one client, one session channel per command.
 *
 * <p>Keys come from the identity files and from ssh-agent ({@link Credentials} says in which order).
 *
 * <p>Over 250 lines because sshj waits without a limit at several points (channel open, exec reply,
 * output, close) and each wait needs its own deadline and its own typed outcome; opening and
 * authenticating stay here because a jump host is another of these connections.
 */
final class SshConnection implements Connection {
  private final SshSettings settings;
  private final SSHClient client;
  private final SshConnection jump;
  private final AtomicInteger execs = new AtomicInteger();

  private SshConnection(SshSettings settings, SSHClient client, SshConnection jump) {
    this.settings = settings;
    this.client = client;
    this.jump = jump;
  }

  /** Connects and authenticates, through the jump host when there is one. */
  static SshConnection open(SshSettings settings) throws TransportException {
    SshConnection jump = settings.proxyJump() == null ? null : open(settings.proxyJump());
    SSHClient client = newClient(settings);
    KnownHostsVerifier verifier =
        new KnownHostsVerifier(settings.hostName(), settings.knownHostsFiles(), settings.acceptNewHostKeys());
    client.addHostKeyVerifier(verifier);
    try {
      connect(settings, client, jump, verifier);
      authenticate(settings, client);
      return new SshConnection(settings, client, jump);
    } catch (TransportException e) {
      closeQuietly(client);
      if (jump != null) {
        jump.close();
      }
      throw e;
    }
  }

  private static SSHClient newClient(SshSettings settings) {
    SSHClient client = new SSHClient(SshClientConfig.get());
    int connectMillis = (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis());
    client.setConnectTimeout(connectMillis);
    // No socket read timeout: commands may stay silent for minutes; keepalive detects dead peers.
    client.getTransport().setTimeoutMs(connectMillis);
    // The connection timeout also bounds waits for the remote window when writing stdin; a command
    // may legitimately read its input late, so it gets the command timeout, not the connect one.
    client.getConnection().setTimeoutMs(
        (int) Math.min(Integer.MAX_VALUE, settings.commandTimeout().toMillis()));
    client.getConnection().getKeepAlive()
        .setKeepAliveInterval((int) Math.max(1, settings.keepAliveInterval().toSeconds()));
    return client;
  }

  private static void connect(SshSettings s, SSHClient client, SshConnection jump, KnownHostsVerifier verifier)
      throws TransportException {
    String where = s.hostName() + " (" + s.address() + ":" + s.port()
        + (jump == null ? "" : " via " + jump.settings.destination()) + ")";
    try {
      if (jump == null) {
        client.connect(s.address(), s.port());
      } else {
        DirectConnection tunnel = jump.client.newDirectConnection(s.address(), s.port());
        client.connectVia(tunnel, s.address(), s.port());
      }
    } catch (ConnectException e) {
      throw new TransportException("cannot connect to " + where + ": connection refused;"
          + " check that sshd runs there and that ansible_host/ansible_port are right", true, e);
    } catch (SocketTimeoutException e) {
      throw new TransportException("cannot connect to " + where + ": no answer within "
          + s.connectTimeout().toSeconds() + " s; check ansible_host, the network and firewalls", true, e);
    } catch (UnknownHostException e) {
      throw new TransportException("cannot connect to " + where + ": unknown host name '"
          + s.address() + "'; check ansible_host", true, e);
    } catch (NoRouteToHostException e) {
      throw new TransportException("cannot connect to " + where + ": no route to host;"
          + " check ansible_host and the network", true, e);
    } catch (IOException e) {
      if (verifier.failure() != null) {
        throw new TransportException(verifier.failure(), true, e);
      }
      throw new TransportException("cannot connect to " + where + ": " + describe(e), true, e);
    }
  }

  private static void authenticate(SshSettings s, SSHClient client) throws TransportException {
    Credentials credentials = Credentials.of(s, client);
    String hint = "give a key the host authorizes for " + s.user() + ": ansible_ssh_private_key_file (with "
        + Connections.KEY_PASSPHRASE_ENV + " if it is encrypted), or ssh-add it to a running ssh-agent ("
        + Connections.AGENT_SOCKET_ENV + ")" + (s.password() == null ? ", or set ansible_password" : "");
    if (credentials.methods().isEmpty()) {
      throw new TransportException("no usable credentials for " + s.destination() + " (host " + s.hostName()
          + "); " + credentials.summary() + "; no password. To fix: " + hint, true);
    }
    try {
      client.auth(s.user(), credentials.methods());
    } catch (UserAuthException e) {
      throw new TransportException("authentication failed for " + s.destination() + " (host " + s.hostName()
          + "); " + credentials.summary() + (s.password() == null ? "" : "; and a password")
          + ". To fix: check ansible_user" + (s.password() == null ? "" : " and ansible_password") + ", or " + hint,
          true, e);
    } catch (IOException e) {
      throw new TransportException("lost the connection to " + s.destination() + " (host " + s.hostName()
          + ") while authenticating: " + describe(e), true, e);
    }
  }

  @Override
  public String host() {
    return settings.hostName();
  }

  SshSettings settings() {
    return settings;
  }

  @Override
  public ExecResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
    Duration limit = timeout != null ? timeout : settings.commandTimeout();
    Become.Wrapped wrapped = Become.wrap(settings, command, stdin == null ? new byte[0] : stdin);
    String shown = LocalConnection.abbreviate(command);
    long deadline = System.nanoTime() + limit.toNanos();
    // sshj waits for the channel-open and exec replies without a limit; a host that goes away at
    // that moment (a reboot) would hang the run. Starting the command counts against the deadline.
    record Started(Session session, Session.Command running) {}
    CompletableFuture<Started> start = CompletableFuture.supplyAsync(() -> {
      try {
        Session s = client.startSession();
        execs.incrementAndGet();
        return new Started(s, s.exec(wrapped.command()));
      } catch (IOException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, Pumps.POOL);
    Session session;
    Session.Command running;
    try {
      Started started = start.get(remaining(deadline), TimeUnit.NANOSECONDS);
      session = started.session();
      running = started.running();
    } catch (TimeoutException e) {
      // No answer to a request on this connection: it is not usable any more.
      close();
      throw new TransportException("no answer from " + settings.hostName() + " when starting a command within "
          + describe(limit) + "; the connection was closed and the command's outcome is unknown: " + shown, false, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while starting a command on " + settings.hostName(), false, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new TransportException("cannot start a command on " + settings.hostName() + ": "
          + (cause instanceof IOException io ? describe(io) : String.valueOf(cause))
          + (client.isConnected() ? "" : " (connection lost)"), !client.isConnected(), cause);
    }
    CompletableFuture<byte[]> out = Pumps.drain(running.getInputStream());
    CompletableFuture<byte[]> err = Pumps.drain(running.getErrorStream());
    CompletableFuture<IOException> in = feed(running, wrapped.stdin());
    try {
      out.get(remaining(deadline), TimeUnit.NANOSECONDS);
      err.get(remaining(deadline), TimeUnit.NANOSECONDS);
      running.join(Math.max(1, remaining(deadline)), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      kill(running);
      closeQuietly(session);
      throw TransportException.timeout("command timed out after " + describe(limit) + " on "
          + settings.hostName() + ": " + shown, e);
    } catch (InterruptedException e) {
      closeQuietly(session);
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while running on " + settings.hostName() + ": " + shown, false, e);
    } catch (ExecutionException | IOException e) {
      closeQuietly(session);
      throw lost(shown, e);
    }
    IOException stdinFailure = in.getNow(null);
    // The exit status may arrive just before the close; it is only final once the channel is closed.
    closeQuietly(session);
    Integer status = running.getExitStatus();
    if (stdinFailure != null) {
      throw new TransportException("could not send stdin to " + settings.hostName() + " (" + describe(stdinFailure)
          + "); the command was stopped and its outcome is unknown: " + shown, false, stdinFailure);
    }
    if (status == null) {
      if (!client.isConnected()) {
        throw lost(shown, null);
      }
      String signal = running.getExitSignal() == null ? "" : " (killed by signal " + running.getExitSignal() + ")";
      throw new TransportException("no exit status from " + settings.hostName() + signal
          + "; the outcome of the command is unknown: " + shown, false);
    }
    return new ExecResult(status, out.join(), err.join());
  }

  @Override
  public Held hold(String command, byte[] stdin) throws TransportException {
    Become.Wrapped wrapped = Become.wrap(settings, command, stdin == null ? new byte[0] : stdin);
    Duration limit = settings.connectTimeout();
    CompletableFuture<Session> start = CompletableFuture.supplyAsync(() -> {
      try {
        Session s = client.startSession();
        execs.incrementAndGet();
        return s;
      } catch (IOException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, Pumps.POOL);
    Session session;
    Session.Command running;
    try {
      session = start.get(limit.toNanos(), TimeUnit.NANOSECONDS);
      running = session.exec(wrapped.command());
      OutputStream in = running.getOutputStream();
      in.write(wrapped.stdin());
      in.flush();
    } catch (TimeoutException e) {
      close();
      throw new TransportException("no answer from " + settings.hostName() + " when starting a command within "
          + describe(limit) + "; the connection was closed", false, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted while starting a command on " + settings.hostName(), false, e);
    } catch (ExecutionException | IOException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new TransportException("cannot start a command on " + settings.hostName() + ": " + describe(cause)
          + (client.isConnected() ? "" : " (connection lost)"), !client.isConnected(), cause);
    }
    // A held command's stderr is not read: held commands send their errors to /dev/null (the lease
    // script, the watch's fact shell), and a reader thread per held channel would cost a thread for
    // each of a watch's hosts. Unread, a stray line stays in the channel's buffer.
    return new HeldStreams(running.getInputStream(), running.getOutputStream(), settings.hostName()) {
      @Override
      public void close() {
        // EOF, then a moment for the command to finish its own way (it lets go of what it holds).
        closeQuietly(running.getOutputStream());
        try {
          running.join(2, TimeUnit.SECONDS);
        } catch (IOException | RuntimeException e) {
          // Gone already, or slow: closing the channel below ends it either way.
        }
        closeQuietly(session);
      }
    };
  }

  private TransportException lost(String shown, Exception cause) {
    if (isTimeout(cause) && client.isConnected()) {
      return TransportException.timeout("command timed out on " + settings.hostName() + ": " + shown, cause);
    }
    return new TransportException("connection to " + settings.hostName() + " (" + settings.destination()
        + ") lost while running a command; its outcome is unknown: " + shown, false, cause);
  }

  /**
   * sshj reports a wait that ran out (e.g. for a channel's close) as its own ConnectionException
   * whose cause is a {@link TimeoutException}: the type says so, whatever the messages say.
   */
  static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static long remaining(long deadline) throws TimeoutException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new TimeoutException();
    }
    return left;
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static CompletableFuture<IOException> feed(Session.Command running, byte[] data) {
    return CompletableFuture.supplyAsync(
        () -> {
          OutputStream stream = running.getOutputStream();
          try {
            stream.write(data);
            stream.flush();
          } catch (IOException e) {
            if (running.isOpen() && !running.isEOF()) {
              // Still running but its input is cut short: sending EOF now would let it act on
              // truncated input (a half-written file), so stop it instead.
              kill(running);
              closeQuietly(running);
              return e;
            }
            // The command exited before reading all of its input; its exit status says what happened.
            return null;
          }
          // EOF, so that commands reading stdin to the end terminate.
          closeQuietly(stream);
          return null;
        },
        Pumps.POOL);
  }

  private static void kill(Session.Command running) {
    try {
      running.signal(Signal.KILL);
    } catch (IOException | RuntimeException e) {
      // Best effort: servers that ignore signal requests see the channel close instead.
    }
  }

  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e ? message : message + " (" + root.getClass().getSimpleName() + ")";
  }

  @Override
  public int execCount() {
    return execs.get();
  }

  @Override
  public void close() {
    closeQuietly(client);
    if (jump != null) {
      jump.close();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing a connection that already failed: nothing left to do.
    }
  }

  @Override
  public String toString() {
    return "SshConnection[" + settings.hostName() + " " + settings.destination() + "]";
  }
}

package dev.plumb.apply;

import dev.plumb.inventory.Host;
import dev.plumb.transport.Connection;
import dev.plumb.transport.ExecResult;
import dev.plumb.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connector that keeps one connection per host open across runs (plumb watch): a run's
 * {@code close()} leaves it open, and the next run's facts cost no handshake and no new channel:
 * they are read by a shell kept on the connection ({@link FactShell}). A
 * connection that broke (lost, unreachable) is dropped and closed, so the next open connects anew
 * (after a reboot, an sshd restart). A kept connection found dead by a run's first exec (sshd
 * restarted since the last run) is opened anew and that exec tried once more, so a restart is not an
 * outage: a run's first exec is its fact read, which changes nothing on the host.
 */
public final class KeptConnections implements Connector, AutoCloseable {
  private final Connector opener;
  private final Map<String, Connection> open = new ConcurrentHashMap<>();
  /** Per host, the fact shell held on its kept connection (see {@link FactShell}). */
  private final Map<String, FactShell> shells = new ConcurrentHashMap<>();
  private final AtomicInteger handshakes = new AtomicInteger();

  public KeptConnections(Connector opener) {
    this.opener = opener;
  }

  @Override
  public Connection open(Host host) throws TransportException {
    Connection c = open.get(host.name());
    if (c != null) {
      return new Kept(host, c, true);
    }
    return new Kept(host, connect(host), false);
  }

  private Connection connect(Host host) throws TransportException {
    Connection c = opener.open(host);
    handshakes.incrementAndGet();
    Connection raced = open.putIfAbsent(host.name(), c);
    if (raced != null) {
      c.close();
      return raced;
    }
    return c;
  }

  /** Connections opened so far (each an SSH handshake); for the watch's report and benchmarks. */
  public int handshakes() {
    return handshakes.get();
  }

  /** Whether a connection to {@code host} is held now. */
  public boolean holds(String host) {
    return open.containsKey(host);
  }

  /** Closes and forgets the host's connection (a host gone from the inventory, or to reconnect). */
  public void drop(String host) {
    closeShell(host);
    Connection c = open.remove(host);
    if (c != null) {
      c.close();
    }
  }

  /** Closes every connection held except those of {@code hosts}. */
  public void retain(java.util.Set<String> hosts) {
    for (String h : List.copyOf(open.keySet())) {
      if (!hosts.contains(h)) {
        drop(h);
      }
    }
  }

  private void closeShell(String host) {
    FactShell shell = shells.remove(host);
    if (shell != null) {
      shell.close();
    }
  }

  @Override
  public void close() {
    List.copyOf(open.keySet()).forEach(this::drop);
  }

  /** A run's view of a kept connection: closing it keeps it; a break drops it. */
  private final class Kept implements Connection {
    private final Host target;
    private Connection inner;
    /** Held from an earlier run and not used yet by this one: it may have died in between. */
    private boolean untried;

    Kept(Host target, Connection inner, boolean reused) {
      this.target = target;
      this.inner = inner;
      this.untried = reused;
    }

    @Override
    public String host() {
      return inner.host();
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
      boolean first = untried;
      untried = false;
      boolean facts = FactReader.COMMAND.equals(command);
      try {
        return facts ? factShell().run(stdin, timeout) : inner.exec(command, stdin, timeout);
      } catch (TransportException e) {
        if (facts) {
          closeShell(target.name());
        }
        // A run's first exec is its fact read, which changes nothing: when the connection (or the
        // shell on it) was found gone, it is tried once more on a new one.
        if (!broken(e) || !first) {
          throw e;
        }
      }
      inner = connect(target);
      return exec(command, stdin, timeout);
    }

    /** The fact shell of this host on the current connection, started when there is none. */
    private FactShell factShell() throws TransportException {
      FactShell shell = shells.get(target.name());
      if (shell != null && shell.on() == inner) {
        return shell;
      }
      closeShell(target.name());
      shell = FactShell.start(inner);
      shells.put(target.name(), shell);
      return shell;
    }

    @Override
    public Held hold(String command, byte[] stdin) throws TransportException {
      untried = false;
      try {
        return inner.hold(command, stdin);
      } catch (TransportException e) {
        broken(e);
        throw e;
      }
    }

    /** Drops the connection when {@code e} says it broke; whether it did. */
    private boolean broken(TransportException e) {
      if (e.kind() == TransportException.Kind.LOST || e.kind() == TransportException.Kind.UNREACHABLE) {
        if (open.remove(target.name(), inner)) {
          inner.close();
        }
        return true;
      }
      return false;
    }

    @Override
    public int execCount() {
      return inner.execCount();
    }

    @Override
    public void close() {
      // Kept for the next run.
    }
  }
}

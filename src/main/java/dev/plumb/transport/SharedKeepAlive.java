package dev.plumb.transport;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import net.schmizz.concurrent.Promise;
import net.schmizz.keepalive.KeepAlive;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.ConnectionImpl;

/**
 * sshj's {@code KeepAliveRunner} (keepalive@openssh.com with a reply wanted; the connection dies
 * after 5 unanswered), run for every connection by one shared timer instead of a thread per
 * connection. sshj starts its keepalive as a thread of its own: a watch holding 500 connections
 * held 500 of those threads, each with its stack, for one small packet every 15 s.
 *
 * <p>sshj calls {@link #start()} once the key exchange is done and {@link #interrupt()} when the
 * client disconnects; the thread itself is never started.
 */
final class SharedKeepAlive extends KeepAlive {
  /** Unanswered keepalives after which the connection counts as lost (sshj's default). */
  private static final int MAX_UNANSWERED = 5;

  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "plumb-keepalive");
    t.setDaemon(true);
    return t;
  });

  static final KeepAliveProvider PROVIDER = new KeepAliveProvider() {
    @Override
    public KeepAlive provide(ConnectionImpl connection) {
      return new SharedKeepAlive(connection);
    }
  };

  private final Queue<Promise<SSHPacket, ConnectionException>> unanswered = new ArrayDeque<>();
  private ScheduledFuture<?> task;
  /** A keepalive of this connection is being sent (the next tick does not start another). */
  private final java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean();

  private SharedKeepAlive(ConnectionImpl conn) {
    super(conn, "plumb-keepalive");
  }

  @Override
  public synchronized void start() {
    if (task == null) {
      int interval = getKeepAliveInterval();
      task = TIMER.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.SECONDS);
    }
  }

  @Override
  public synchronized void interrupt() {
    if (task != null) {
      task.cancel(false);
    }
  }

  /**
   * The timer only hands the send to an I/O thread: a write to a host whose TCP buffer is full
   * blocks, and it must hold up that connection's keepalive alone, never the timer shared by all.
   */
  private void tick() {
    if (sending.compareAndSet(false, true)) {
      Pumps.POOL.execute(this::send);
    }
  }

  private void send() {
    try {
      if (conn.getTransport().isRunning()) {
        doKeepAlive();
      } else {
        interrupt();
      }
    } catch (Exception e) {
      interrupt();
      conn.getTransport().die(e);
    } finally {
      sending.set(false);
    }
  }

  @Override
  protected synchronized void doKeepAlive() throws net.schmizz.sshj.transport.TransportException, ConnectionException {
    // Only once the key exchange is done and the connection service is up.
    if (!conn.equals(conn.getTransport().getService())) {
      return;
    }
    while (!unanswered.isEmpty() && unanswered.peek().isFulfilled()) {
      unanswered.remove();
    }
    if (unanswered.size() >= MAX_UNANSWERED) {
      throw new ConnectionException(DisconnectReason.CONNECTION_LOST, "no answer to " + MAX_UNANSWERED
          + " keepalives in a row (" + MAX_UNANSWERED * getKeepAliveInterval() + " s)");
    }
    unanswered.add(conn.sendGlobalRequest("keepalive@openssh.com", true, new byte[0]));
  }
}

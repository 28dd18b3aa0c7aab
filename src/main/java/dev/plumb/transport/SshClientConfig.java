package dev.plumb.transport;

import java.io.StringReader;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.KeyAgreement;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.SecurityUtils;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * sshj's client configuration, built once and shared by every connection of the run.
 *
 * <p>Building it registers BouncyCastle and tries every cipher sshj knows: about 0.15 s of CPU, all
 * of it before the first host is contacted. A run that will connect starts it on a daemon thread at
 * the very start ({@link #warmUp}), while the command line and the playbook are read on the other
 * core; the first connection then finds it ready or waits for it. The warm-up contacts no host and
 * reads no file: a run that stops on bad input is the same as without it, and a warm-up that failed
 * is built again by the connection, which reports the failure as it always did.
 *
 * <p>Sharing is safe: sshj's clients only read their configuration, and its random source is one
 * thread-safe instance anyway.
 */
final class SshClientConfig {
  private SshClientConfig() {}

  private static final AtomicBoolean STARTED = new AtomicBoolean();
  private static final CompletableFuture<DefaultConfig> SHARED = new CompletableFuture<>();

  /** Starts building the configuration on a daemon thread, unless it is built or being built. */
  static void warmUp() {
    if (STARTED.compareAndSet(false, true)) {
      Thread t = new Thread(() -> {
        if (build()) {
          warmHandshake();
        }
      }, "plumb-ssh-warm-up");
      t.setDaemon(true);
      t.start();
    }
  }

  /** The shared configuration: built here if nothing started it, else the warm-up's (waited for). */
  static DefaultConfig get() {
    if (STARTED.compareAndSet(false, true)) {
      build();
    }
    try {
      return SHARED.join();
    } catch (CompletionException e) {
      // The warm-up failed: build on this thread, so that the failure surfaces here as before.
      return newConfig();
    }
  }

  private static boolean build() {
    try {
      return SHARED.complete(newConfig());
    } catch (Throwable e) {
      SHARED.completeExceptionally(e);
      return false;
    }
  }

  /**
   * What the first handshake computes for the first time, done once on throwaway keys in memory:
   * an X25519 agreement, an Ed25519 signature and its check, a key read back from SSH's wire format
   * and from a known_hosts line, and the number formatting sshj's messages use. Each first use costs
   * class loading and initialisation (BouncyCastle's curve tables, the locale data) that otherwise
   * falls between the connection's round trips. Nothing here can fail a run: errors are dropped.
   */
  private static void warmHandshake() {
    try {
      KeyPairGenerator x25519 = SecurityUtils.getKeyPairGenerator("X25519");
      KeyAgreement agreement = SecurityUtils.getKeyAgreement("X25519");
      agreement.init(x25519.generateKeyPair().getPrivate());
      agreement.doPhase(x25519.generateKeyPair().getPublic(), true);
      agreement.generateSecret();
      KeyPair ed25519 = SecurityUtils.getKeyPairGenerator("Ed25519").generateKeyPair();
      byte[] data = new byte[32];
      Signature signer = SecurityUtils.getSignature("Ed25519");
      signer.initSign(ed25519.getPrivate());
      signer.update(data);
      byte[] signature = signer.sign();
      Signature verifier = SecurityUtils.getSignature("Ed25519");
      verifier.initVerify(ed25519.getPublic());
      verifier.update(data);
      verifier.verify(signature);
      byte[] blob = new Buffer.PlainBuffer().putPublicKey(ed25519.getPublic()).getCompactData();
      PublicKey read = new Buffer.PlainBuffer(blob).readPublicKey();
      new OpenSSHKnownHosts(new StringReader("")).new EntryFactory()
          .parseEntry("[warm-up]:2222 ssh-ed25519 " + Base64.getEncoder().encodeToString(blob))
          .verify(read);
      String.format("%d", blob.length);
    } catch (Exception | LinkageError e) {
      // Only a warm-up: the connection does all of this again and reports what fails.
    }
  }

  private static DefaultConfig newConfig() {
    DefaultConfig config = new DefaultConfig();
    // A keepalive that asks for a reply, so a host that vanished is noticed (after a few
    // intervals); one timer for all connections, not a thread each (SharedKeepAlive).
    config.setKeepAliveProvider(SharedKeepAlive.PROVIDER);
    return config;
  }
}

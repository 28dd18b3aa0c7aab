package dev.plumb.transport;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A client of ssh-agent over its UNIX-domain socket ({@code SSH_AUTH_SOCK}): lists the keys the
 * agent holds and has it sign (draft-miller-ssh-agent, "Requesting a list of keys" and "Private key
 * operations").
 *
 * <p>Written here, not taken from a library: sshj 0.40 (the release plumb builds with) has no
 * agent client, and jsch-agent-proxy, the library sshj users add for it, reaches the socket only
 * through JNA or junixsocket (native code). Since Java 16 the JDK opens UNIX-domain sockets itself,
 * and the two requests plumb needs are a few lines each.
 *
 * <p>One connection per request, each bounded by a timeout: an agent that never answers (one that
 * waits for a confirmation nobody gives) fails the request instead of hanging the run.
 */
final class SshAgent {
  static final byte FAILURE = 5;
  static final byte REQUEST_IDENTITIES = 11;
  static final byte IDENTITIES_ANSWER = 12;
  static final byte SIGN_REQUEST = 13;
  static final byte SIGN_RESPONSE = 14;
  /** Sign flags for RSA keys: which hash the signature uses (ssh-rsa, the SHA-1 one, is 0). */
  static final int RSA_SHA2_256 = 2;
  static final int RSA_SHA2_512 = 4;
  /** OpenSSH's agent refuses larger messages (AGENT_MAX_LEN); so do we. */
  static final int MAX_MESSAGE = 256 * 1024;

  private final Path socket;
  private final Duration timeout;

  SshAgent(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  Path socket() {
    return socket;
  }

  /** A key the agent holds: its public key blob (RFC 4253 encoding) and the comment ssh-add gave it. */
  record Identity(byte[] blob, String comment) {
    Identity {
      blob = blob.clone();
    }

    @Override
    public byte[] blob() {
      return blob.clone();
    }

    /** The key type, the first string of the blob: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, … */
    String type() {
      try {
        return readString(ByteBuffer.wrap(blob));
      } catch (IOException e) {
        return "unknown";
      }
    }

    boolean sameKey(byte[] other) {
      return other != null && Arrays.equals(blob, other);
    }

    /** As {@code ssh-add -l} shows it: the key type, SHA256 fingerprint and comment. */
    String describe() {
      return type() + " " + fingerprint(blob) + (comment.isEmpty() ? "" : " " + comment);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Identity i && Arrays.equals(blob, i.blob) && comment.equals(i.comment);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(blob) * 31 + comment.hashCode();
    }

    @Override
    public String toString() {
      return "Identity[" + describe() + "]";
    }
  }

  /** The keys the agent holds, in its order. */
  List<Identity> identities() throws IOException {
    return parseIdentities(exchange(new byte[] {REQUEST_IDENTITIES}));
  }

  /** The agent's signature of {@code data} with the key {@code blob}, as the SSH wire encodes one. */
  byte[] sign(byte[] blob, byte[] data, int flags) throws IOException {
    return parseSignature(exchange(signRequest(blob, data, flags)));
  }

  /** The sign flags for a public key algorithm: RSA keys sign with the hash the algorithm names. */
  static int flagsFor(String algorithm) {
    return switch (algorithm) {
      case "rsa-sha2-256" -> RSA_SHA2_256;
      case "rsa-sha2-512" -> RSA_SHA2_512;
      default -> 0;
    };
  }

  static byte[] signRequest(byte[] blob, byte[] data, int flags) {
    ByteBuffer b = ByteBuffer.allocate(1 + 4 + blob.length + 4 + data.length + 4);
    b.put(SIGN_REQUEST);
    putString(b, blob);
    putString(b, data);
    b.putInt(flags);
    return b.array();
  }

  static List<Identity> parseIdentities(byte[] message) throws IOException {
    ByteBuffer b = answer(message, IDENTITIES_ANSWER, "the list of keys");
    long count = Integer.toUnsignedLong(readInt(b));
    List<Identity> keys = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      byte[] blob = readBytes(b);
      keys.add(new Identity(blob, new String(readBytes(b), StandardCharsets.UTF_8)));
    }
    return keys;
  }

  static byte[] parseSignature(byte[] message) throws IOException {
    return readBytes(answer(message, SIGN_RESPONSE, "a signature"));
  }

  static ByteBuffer answer(byte[] message, byte expected, String what) throws IOException {
    if (message.length == 0) {
      throw new IOException("ssh-agent sent an empty answer when asked for " + what);
    }
    if (message[0] == FAILURE) {
      throw new IOException("ssh-agent refused to give " + what);
    }
    if (message[0] != expected) {
      throw new IOException("ssh-agent answered message " + message[0] + " when asked for " + what
          + " (expected " + expected + ")");
    }
    return ByteBuffer.wrap(message, 1, message.length - 1);
  }

  /** {@code SHA256:} and the unpadded base64 of the key's digest, as ssh-keygen -l prints it. */
  static String fingerprint(byte[] blob) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private byte[] exchange(byte[] request) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      SelectionKey key = channel.register(selector, 0);
      ByteBuffer out = ByteBuffer.allocate(4 + request.length).putInt(request.length).put(request).flip();
      while (out.hasRemaining()) {
        if (channel.write(out) == 0) {
          await(selector, key, SelectionKey.OP_WRITE, deadline);
        }
      }
      ByteBuffer length = ByteBuffer.allocate(4);
      readFully(channel, selector, key, length, deadline);
      int n = length.flip().getInt();
      if (n <= 0 || n > MAX_MESSAGE) {
        throw new IOException("ssh-agent sent a message of " + Integer.toUnsignedLong(n)
            + " bytes (at most " + MAX_MESSAGE + " expected)");
      }
      ByteBuffer body = ByteBuffer.allocate(n);
      readFully(channel, selector, key, body, deadline);
      return body.array();
    }
  }

  private void readFully(SocketChannel channel, Selector selector, SelectionKey key, ByteBuffer into,
      long deadline) throws IOException {
    while (into.hasRemaining()) {
      int read = channel.read(into);
      if (read < 0) {
        throw new IOException("ssh-agent closed the connection before answering");
      }
      if (read == 0) {
        await(selector, key, SelectionKey.OP_READ, deadline);
      }
    }
  }

  private void await(Selector selector, SelectionKey key, int op, long deadline) throws IOException {
    key.interestOps(op);
    long left = deadline - System.nanoTime();
    if (left <= 0 || selector.select(Math.max(1, left / 1_000_000)) == 0 && System.nanoTime() >= deadline) {
      throw new IOException("ssh-agent did not answer within " + timeout.toMillis() + " ms");
    }
    selector.selectedKeys().clear();
  }

  private static void putString(ByteBuffer b, byte[] bytes) {
    b.putInt(bytes.length).put(bytes);
  }

  static int readInt(ByteBuffer b) throws IOException {
    try {
      return b.getInt();
    } catch (BufferUnderflowException e) {
      throw new IOException("ssh-agent's answer is cut short", e);
    }
  }

  static byte[] readBytes(ByteBuffer b) throws IOException {
    int n = readInt(b);
    if (n < 0 || n > b.remaining()) {
      throw new IOException("ssh-agent's answer is cut short (a field of " + Integer.toUnsignedLong(n)
          + " bytes, " + b.remaining() + " left)");
    }
    byte[] bytes = new byte[n];
    b.get(bytes);
    return bytes;
  }

  static String readString(ByteBuffer b) throws IOException {
    return new String(readBytes(b), StandardCharsets.UTF_8);
  }
}

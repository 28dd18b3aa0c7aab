package dev.plumb.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hierynomus.sshj.signature.SignatureEdDSA;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.signature.Signature;
import net.schmizz.sshj.signature.SignatureRSA;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent protocol, against a fake agent on a real UNIX socket and against OpenSSH's ssh-agent. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SshAgentTest {
  private static final Duration T = Duration.ofSeconds(5);

  @TempDir Path dir;
  @TempDir static Path keyDir;
  private static Path ed;
  private static Path rsa;

  // Generated once: an RSA key takes seconds on a loaded machine.
  @BeforeAll
  static void keygen() throws Exception {
    ed = keyDir.resolve("id_ed");
    rsa = keyDir.resolve("id_rsa");
    SshAgentProcess.keygen(ed, "ed25519", "agent-pass-1", "ed@test");
    SshAgentProcess.keygen(rsa, "rsa", "", "rsa@test");
  }

  // --- the codec, against a fake agent: a real ServerSocketChannel on a temp UNIX socket ---

  /** Answers each connection's one request with {@code reply} (raw bytes, length prefix included; null: silence). */
  private static final class FakeAgent implements AutoCloseable {
    final List<byte[]> requests = new CopyOnWriteArrayList<>();
    private final ServerSocketChannel server;
    private final Thread thread;

    FakeAgent(Path socket, Function<byte[], byte[]> reply) throws IOException {
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      thread = new Thread(() -> {
        while (server.isOpen()) {
          try (SocketChannel client = server.accept()) {
            ByteBuffer length = ByteBuffer.allocate(4);
            while (length.hasRemaining() && client.read(length) >= 0) { }
            ByteBuffer body = ByteBuffer.allocate(length.flip().getInt());
            while (body.hasRemaining() && client.read(body) >= 0) { }
            requests.add(body.array());
            byte[] answer = reply.apply(body.array());
            if (answer == null) {
              Thread.sleep(1_000);
            } else {
              client.write(ByteBuffer.wrap(answer));
            }
          } catch (IOException | InterruptedException e) {
            return;
          }
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** A framed agent message: uint32 length, then the parts (byte, int, byte[] as an SSH string). */
  private static byte[] frame(Object... parts) {
    ByteBuffer b = ByteBuffer.allocate(4096);
    b.putInt(0);
    for (Object part : parts) {
      if (part instanceof Byte x) {
        b.put(x);
      } else if (part instanceof Integer x) {
        b.putInt(x);
      } else if (part instanceof byte[] x) {
        b.putInt(x.length).put(x);
      } else {
        byte[] s = ((String) part).getBytes(StandardCharsets.UTF_8);
        b.putInt(s.length).put(s);
      }
    }
    int n = b.position();
    b.putInt(0, n - 4);
    byte[] out = new byte[n];
    b.flip().get(out);
    return out;
  }

  private static byte[] blob(String type, String body) {
    ByteBuffer b = ByteBuffer.allocate(256);
    byte[] t = type.getBytes(StandardCharsets.UTF_8);
    byte[] k = body.getBytes(StandardCharsets.UTF_8);
    b.putInt(t.length).put(t).putInt(k.length).put(k);
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  @Test
  void identities_fakeAgentWithTwoKeys_parsesBlobsAndCommentsInOrder() throws Exception {
    byte[] a = blob("ssh-ed25519", "key-a");
    byte[] b = blob("ssh-rsa", "key-b");
    Path socket = dir.resolve("fake.sock");
    try (FakeAgent fake = new FakeAgent(socket, r -> frame((byte) 12, 2, a, "alice@laptop", b, ""))) {
      List<SshAgent.Identity> keys = new SshAgent(socket, T).identities();

      assertThat(fake.requests).singleElement().isEqualTo(new byte[] {11});
      assertThat(keys).hasSize(2);
      assertThat(keys.get(0).blob()).isEqualTo(a);
      assertThat(keys.get(0).comment()).isEqualTo("alice@laptop");
      assertThat(keys.get(0).type()).isEqualTo("ssh-ed25519");
      assertThat(keys.get(0).describe()).isEqualTo("ssh-ed25519 " + SshAgent.fingerprint(a) + " alice@laptop");
      assertThat(keys.get(1).type()).isEqualTo("ssh-rsa");
      assertThat(keys.get(1).comment()).isEmpty();
    }
  }

  @Test
  void sign_fakeAgent_sendsKeyDataAndFlagsAndReturnsTheSignature() throws Exception {
    byte[] key = blob("ssh-rsa", "key");
    byte[] data = "session-id and request".getBytes(StandardCharsets.UTF_8);
    byte[] signature = blob("rsa-sha2-512", "sig");
    Path socket = dir.resolve("fake.sock");
    try (FakeAgent fake = new FakeAgent(socket, r -> frame((byte) 14, signature))) {
      byte[] got = new SshAgent(socket, T).sign(key, data, SshAgent.flagsFor("rsa-sha2-512"));

      assertThat(got).isEqualTo(signature);
      byte[] expected = frame((byte) 13, key, data, 4);
      assertThat(fake.requests).singleElement()
          .isEqualTo(java.util.Arrays.copyOfRange(expected, 4, expected.length));
    }
  }

  @Test
  void flagsFor_rsaSha2Algorithms_areTheAgentsFlags() {
    assertThat(SshAgent.flagsFor("rsa-sha2-256")).isEqualTo(2);
    assertThat(SshAgent.flagsFor("rsa-sha2-512")).isEqualTo(4);
    assertThat(SshAgent.flagsFor("ssh-rsa")).isZero();
    assertThat(SshAgent.flagsFor("ssh-ed25519")).isZero();
  }

  @Test
  void sign_agentAnswersFailure_isARefusal() throws Exception {
    Path socket = dir.resolve("fake.sock");
    try (FakeAgent fake = new FakeAgent(socket, r -> frame((byte) 5))) {
      assertThatThrownBy(() -> new SshAgent(socket, T).sign(blob("ssh-ed25519", "k"), new byte[3], 0))
          .isInstanceOf(IOException.class).hasMessage("ssh-agent refused to give a signature");
    }
  }

  @Test
  void identities_answerCutShort_isAnErrorNotAPartialList() throws Exception {
    Path socket = dir.resolve("fake.sock");
    try (FakeAgent fake = new FakeAgent(socket, r -> frame((byte) 12, 3, blob("ssh-ed25519", "k"), "only one"))) {
      assertThatThrownBy(() -> new SshAgent(socket, T).identities())
          .isInstanceOf(IOException.class).hasMessageContaining("cut short");
    }
  }

  @Test
  void identities_unexpectedMessageOrOversizedLength_isAnError() throws Exception {
    Path socket = dir.resolve("fake.sock");
    try (FakeAgent fake = new FakeAgent(socket, r -> frame((byte) 14, "x"))) {
      assertThatThrownBy(() -> new SshAgent(socket, T).identities())
          .hasMessageContaining("answered message 14").hasMessageContaining("expected 12");
    }
    Files.delete(socket);
    try (FakeAgent fake = new FakeAgent(socket, r -> new byte[] {0x7f, 0, 0, 0, 12})) {
      assertThatThrownBy(() -> new SshAgent(socket, T).identities())
          .hasMessageContaining("2130706432 bytes").hasMessageContaining("at most 262144");
    }
  }

  @Test
  void identities_agentNeverAnswers_failsWithinTheTimeout() throws Exception {
    Path socket = dir.resolve("fake.sock");
    try (FakeAgent fake = new FakeAgent(socket, r -> null)) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> new SshAgent(socket, Duration.ofMillis(300)).identities())
          .hasMessage("ssh-agent did not answer within 300 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
  }

  @Test
  void identities_noAgentAtTheSocket_isAnIOException() {
    assertThatThrownBy(() -> new SshAgent(dir.resolve("nothing.sock"), T).identities())
        .isInstanceOf(IOException.class);
  }

  // --- against OpenSSH's ssh-agent ---

  @Test
  void realAgent_listsTheAddedKeys_asSshKeygenSeesThem() throws Exception {
    try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
      agent.add(ed, "agent-pass-1");
      agent.add(rsa, null);

      List<SshAgent.Identity> keys = new SshAgent(agent.socket(), T).identities();

      assertThat(keys).extracting(SshAgent.Identity::comment).containsExactly("ed@test", "rsa@test");
      assertThat(keys.get(0).blob()).isEqualTo(pubBlob(ed));
      assertThat(keys.get(1).blob()).isEqualTo(pubBlob(rsa));
      assertThat(keys.get(0).describe()).isEqualTo("ssh-ed25519 " + keygenFingerprint(ed) + " ed@test");
      assertThat(keys.get(1).type()).isEqualTo("ssh-rsa");
      // The blob is found without decrypting the key file, from .pub or from the file's clear header.
      assertThat(Credentials.publicKeyOf(ed)).isEqualTo(pubBlob(ed));
      Path alone = Files.copy(ed, dir.resolve("id_ed_without_pub"));
      assertThat(Credentials.publicKeyOf(alone)).isEqualTo(keys.get(0).blob());
    }
  }

  @Test
  void realAgent_signatures_verifyWithTheKeys_rsaWithTheRequestedHash() throws Exception {
    byte[] data = "what a server would have signed".getBytes(StandardCharsets.UTF_8);
    try (SshAgentProcess process = SshAgentProcess.start(dir)) {
      process.add(ed, "agent-pass-1");
      process.add(rsa, null);
      SshAgent agent = new SshAgent(process.socket(), T);

      byte[] edSig = agent.sign(pubBlob(ed), data, 0);
      assertThat(signatureFormat(edSig)).isEqualTo("ssh-ed25519");
      assertThat(verifies(new SignatureEdDSA.Factory().create(), pubBlob(ed), data, edSig)).isTrue();
      assertThat(verifies(new SignatureEdDSA.Factory().create(), pubBlob(ed), "other".getBytes(), edSig)).isFalse();

      byte[] sha512 = agent.sign(pubBlob(rsa), data, SshAgent.RSA_SHA2_512);
      assertThat(signatureFormat(sha512)).isEqualTo("rsa-sha2-512");
      assertThat(verifies(new SignatureRSA.FactoryRSASHA512().create(), pubBlob(rsa), data, sha512)).isTrue();
      byte[] sha256 = agent.sign(pubBlob(rsa), data, SshAgent.RSA_SHA2_256);
      assertThat(signatureFormat(sha256)).isEqualTo("rsa-sha2-256");
      assertThat(verifies(new SignatureRSA.FactoryRSASHA256().create(), pubBlob(rsa), data, sha256)).isTrue();

      assertThatThrownBy(() -> agent.sign(blob("ssh-ed25519", "not held"), data, 0))
          .hasMessage("ssh-agent refused to give a signature");
    }
  }

  private static boolean verifies(Signature signature, byte[] blob, byte[] data, byte[] sig) throws Exception {
    PublicKey key = new Buffer.PlainBuffer(blob).readPublicKey();
    signature.initVerify(key);
    signature.update(data);
    return signature.verify(sig);
  }

  private static String signatureFormat(byte[] sig) throws IOException {
    return SshAgent.readString(ByteBuffer.wrap(sig));
  }

  static byte[] pubBlob(Path key) throws IOException {
    return Base64.getDecoder().decode(Files.readString(Path.of(key + ".pub")).trim().split("\\s+")[1]);
  }

  private static String keygenFingerprint(Path key) throws Exception {
    Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    return out.split("\\s+")[1];
  }
}

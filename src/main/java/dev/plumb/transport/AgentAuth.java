package dev.plumb.transport;

import com.hierynomus.sshj.key.KeyAlgorithm;
import java.io.IOException;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * sshj's {@code publickey} method (RFC 4252 section 7) with a key held by ssh-agent: the same
 * exchange as sshj's AuthPublickey (a query with the public key; on the server's PK_OK, the signed
 * request), but the agent signs, so the private key never enters this process.
 */
final class AgentAuth extends AbstractAuthMethod {
  private final SshAgent agent;
  private final SshAgent.Identity identity;
  private String algorithm;

  AgentAuth(SshAgent agent, SshAgent.Identity identity) {
    super("publickey");
    this.agent = agent;
    this.identity = identity;
  }

  @Override
  protected SSHPacket buildReq() throws UserAuthException {
    return request(false);
  }

  @Override
  public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
    if (cmd != Message.USERAUTH_60) {
      super.handle(cmd, buf);
      return;
    }
    SSHPacket signed = request(true);
    byte[] data = new Buffer.PlainBuffer()
        .putString(params.getTransport().getSessionID())
        .putBuffer(signed)
        .getCompactData();
    byte[] signature;
    try {
      signature = agent.sign(identity.blob(), data, SshAgent.flagsFor(algorithm));
    } catch (IOException e) {
      throw new UserAuthException("ssh-agent (" + agent.socket() + ") did not sign with "
          + identity.describe() + ": " + e.getMessage(), e);
    }
    params.getTransport().write(signed.putString(signature));
  }

  private SSHPacket request(boolean signed) throws UserAuthException {
    if (algorithm == null) {
      algorithm = negotiatedAlgorithm();
    }
    return super.buildReq().putBoolean(signed).putString(algorithm).putString(identity.blob());
  }

  // For an RSA key the algorithm is a choice (rsa-sha2-512, rsa-sha2-256, ssh-rsa): sshj's transport
  // knows which ones the server accepts (server-sig-algs), best first; other keys have one.
  private String negotiatedAlgorithm() throws UserAuthException {
    String type = identity.type();
    try {
      List<KeyAlgorithm> algorithms = params.getTransport().getClientKeyAlgorithms(KeyType.fromString(type));
      return algorithms == null || algorithms.isEmpty() ? type : algorithms.get(0).getKeyAlgorithm();
    } catch (TransportException e) {
      throw new UserAuthException("no signature algorithm for " + identity.describe(), e);
    }
  }

  @Override
  public String toString() {
    return "ssh-agent key " + identity.describe();
  }
}

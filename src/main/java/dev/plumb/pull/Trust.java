package dev.plumb.pull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier.SignatureVerification;
import org.eclipse.jgit.lib.SignatureVerifiers;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Which commits a host may run: with an OpenSSH allowed-signers file, only commits carrying a valid
 * SSH signature by a key listed there (JGit's SSH signature verifier, the same check as
 * {@code git verify-commit} with {@code gpg.ssh.allowedSignersFile}). A compromised repository
 * then cannot make every host run its commands: it would need a signing key too.
 */
public sealed interface Trust {
  /** Throws {@link PullException.Untrusted} naming the commit and the reason, or returns. */
  void check(Repository repo, RevCommit commit) throws IOException;

  /** No verification (the operator trusts whoever can push to the repository). */
  record Any() implements Trust {
    @Override
    public void check(Repository repo, RevCommit commit) {}
  }

  /** A valid SSH signature by a key of an OpenSSH allowed-signers file. */
  record AllowedSigners(Path file) implements Trust {
    public AllowedSigners {
      file = file.toAbsolutePath();
    }

    @Override
    public void check(Repository repo, RevCommit commit) throws IOException {
      String id = commit.getId().name();
      if (!Files.isReadable(file)) {
        throw new PullException.Untrusted("cannot read the allowed signers file " + file,
            "give --verify-signature an OpenSSH allowed-signers file (lines: PRINCIPAL KEYTYPE KEY)");
      }
      if (commit.getRawGpgSignature() == null) {
        throw new PullException.Untrusted("commit " + id + " is not signed; nothing of it was loaded",
            "sign the commit (git commit -S with gpg.format=ssh) with a key listed in " + file);
      }
      Config config = new Config();
      config.setString(ConfigConstants.CONFIG_GPG_SECTION, null, ConfigConstants.CONFIG_KEY_FORMAT, "ssh");
      config.setString(ConfigConstants.CONFIG_GPG_SECTION, ConfigConstants.CONFIG_SSH_SUBSECTION,
          ConfigConstants.CONFIG_KEY_SSH_ALLOWED_SIGNERS_FILE, file.toString());
      SignatureVerification v;
      try {
        v = SignatureVerifiers.verify(repo, new GpgConfig(config), commit);
      } catch (RuntimeException e) {
        throw new PullException.Untrusted("commit " + id + ": its signature could not be checked: " + e.getMessage(),
            "sign the commit with an SSH key listed in " + file);
      }
      if (v == null) {
        throw new PullException.Untrusted("commit " + id + " carries a signature that is not an SSH signature; nothing of it was loaded",
            "sign with gpg.format=ssh and a key listed in " + file);
      }
      if (!v.verified()) {
        String why = v.message() == null ? "the signature does not verify" : v.message();
        throw new PullException.Untrusted("commit " + id + " is not signed by an allowed key (" + why
            + (v.keyFingerprint() == null ? "" : "; key " + v.keyFingerprint()) + "); nothing of it was loaded",
            "sign the commit with a key listed in " + file + ", or add the signer's key there");
      }
    }
  }
}

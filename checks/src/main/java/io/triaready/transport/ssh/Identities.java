package io.triaready.transport.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import io.triaready.spi.ProbeException;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Loads the private keys a host's connection offers: OpenSSH and PEM (PKCS#1, SEC1, PKCS#8) files,
 * ed25519, ECDSA and RSA, encrypted ones decrypted with {@code passphrase} or a passphrase typed at
 * the console. An encrypted key with neither is skipped and named in the error if authentication
 * then fails (the agent may well hold it). A passphrase never appears in a message.
 */
final class Identities {
    /** Keys to offer, with a label for each ({@code ~/.ssh/id_ed25519}), and keys that had to be skipped, with why. */
    record Loaded(List<KeyPair> keys, List<String> labels, List<String> skipped) {}

    /** Asks for a key's passphrase at the terminal; null when there is no terminal (CI) or the user gave none. */
    @FunctionalInterface
    interface Prompt {
        String passphrase(Path key, String label);
    }

    private Identities() {}

    static Loaded load(SshSettings s, Path home, Prompt prompt) throws ProbeException {
        List<KeyPair> keys = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path path : s.identities()) {
            String label = display(path, home);
            if (!Files.exists(path)) {
                if (s.explicitIdentities()) {
                    throw new ProbeException("ssh " + s.label() + ": identity file " + label + " does not exist");
                }
                continue;
            }
            if (encryptedPkcs8(path)) {
                // decrypting PKCS#8 (PBES2) needs BouncyCastle, which tria-ready does not ship
                throw new ProbeException("ssh " + s.label() + ": key " + label + " is an encrypted PKCS#8 file, which cannot be read: "
                        + "convert it with 'ssh-keygen -p -f " + label + "' (OpenSSH format, passphrase kept or changed)");
            }
            PassphraseSource source = new PassphraseSource(path, label, s.passphrase(), prompt);
            try (InputStream in = Files.newInputStream(path)) {
                Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(label), in, source);
                int before = keys.size();
                if (loaded != null) loaded.forEach(keys::add);
                if (keys.size() == before) throw new ProbeException("ssh " + s.label() + ": " + label + " holds no private key I can read");
                labels.add(label);
            } catch (EncryptedKeyException e) {
                skipped.add("key " + label + " is encrypted: set passphrase: ${env:...}");
            } catch (AccessDeniedException e) {
                throw new ProbeException("ssh " + s.label() + ": cannot read identity file " + label + ": permission denied");
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                if (source.supplied) {
                    throw new ProbeException("ssh " + s.label() + ": key " + label + " could not be decrypted: wrong passphrase?");
                }
                throw new ProbeException("ssh " + s.label() + ": key " + label + " is not a private key I can read ("
                        + SshSettings.oneLine(e) + ")");
            }
        }
        return new Loaded(keys, labels, skipped);
    }

    private static boolean encryptedPkcs8(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            String head = new String(in.readNBytes(64), java.nio.charset.StandardCharsets.US_ASCII);
            return head.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        } catch (IOException e) {
            return false; // reading it properly reports the problem
        }
    }

    /** {@code /home/me/.ssh/id_rsa} as {@code ~/.ssh/id_rsa}. */
    static String display(Path path, Path home) {
        Path abs = path.toAbsolutePath().normalize();
        if (home != null && abs.startsWith(home.toAbsolutePath().normalize())) {
            return "~/" + home.toAbsolutePath().normalize().relativize(abs);
        }
        return path.toString();
    }

    /** Thrown when a key is encrypted and no passphrase is available: the key is skipped, not fatal yet. */
    private static final class EncryptedKeyException extends IOException {
        EncryptedKeyException() { super("encrypted key without passphrase"); }
    }

    /** Supplies the inventory's passphrase, else one typed at the console; one attempt, no retries. */
    private static final class PassphraseSource implements FilePasswordProvider {
        private final Path path;
        private final String label;
        private final String configured;
        private final Prompt prompt;
        boolean supplied;

        PassphraseSource(Path path, String label, String configured, Prompt prompt) {
            this.path = path;
            this.label = label;
            this.configured = configured;
            this.prompt = prompt;
        }

        @Override
        public String getPassword(SessionContext session, NamedResource resourceKey, int retryIndex) throws IOException {
            String p = configured;
            if (p == null && prompt != null) p = prompt.passphrase(path, label);
            if (p == null) throw new EncryptedKeyException();
            supplied = true;
            return p;
        }

        @Override
        public ResourceDecodeResult handleDecodeAttemptResult(SessionContext session, NamedResource resourceKey, int retryIndex,
                                                              String password, Exception err) {
            return ResourceDecodeResult.TERMINATE; // one attempt: a wrong passphrase is an error, not a loop
        }
    }
}

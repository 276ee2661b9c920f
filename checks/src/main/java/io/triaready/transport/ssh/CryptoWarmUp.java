package io.triaready.transport.ssh;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Runs the JDK crypto of a first SSH handshake once, on throwaway keys: an X25519 key agreement, an
 * ECDSA P-256 signature and its check, SHA-256, HMAC and AES. On a cold JVM each first use loads and
 * initialises a provider's classes and interprets its field arithmetic, tens of milliseconds between
 * two packets of the real handshake; done during the warm-up, that work overlaps the network waits
 * before the server's first answer. Nothing made here is kept or sent anywhere.
 */
final class CryptoWarmUp {
    private static final java.util.concurrent.atomic.AtomicBoolean STARTED = new java.util.concurrent.atomic.AtomicBoolean();

    private CryptoWarmUp() {}

    /** Runs it on a daemon thread, the first time only. */
    static void startOnce() {
        if (!STARTED.compareAndSet(false, true)) return;
        Thread t = new Thread(CryptoWarmUp::run, "tria-crypto-warm-up");
        t.setDaemon(true);
        t.start();
    }

    static void run() {
        try {
            KeyPairGenerator x = KeyPairGenerator.getInstance("X25519");
            KeyPair a = x.generateKeyPair();
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(a.getPrivate());
            agreement.doPhase(x.generateKeyPair().getPublic(), true);
            byte[] secret = agreement.generateSecret();

            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
            ec.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair p = ec.generateKeyPair();
            byte[] data = "tria-ready warm-up".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance("SHA256withECDSA");
            sign.initSign(p.getPrivate());
            sign.update(data);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance("SHA256withECDSA");
            verify.initVerify(p.getPublic());
            verify.update(data);
            verify.verify(signature);

            byte[] key = MessageDigest.getInstance("SHA-256").digest(secret);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.doFinal(data);
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, 0, 16, "AES"), new IvParameterSpec(new byte[16]));
            aes.doFinal(data);
        } catch (GeneralSecurityException | RuntimeException unavailable) {
            // only a head start: the handshake negotiates what this JVM has
        }
    }
}

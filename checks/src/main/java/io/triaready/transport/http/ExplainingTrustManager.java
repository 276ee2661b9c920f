package io.triaready.transport.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JVM's certificate verification, unchanged, but failing with a message an on-call engineer can
 * act on ("CN=api.example.com is self-signed") instead of "PKIX path building failed". The failure is
 * an {@link Untrusted}, which {@link HttpErrors} finds in the handshake exception's causes.
 */
final class ExplainingTrustManager extends ForwardingTrustManager {
    /** A certificate chain the trust store does not vouch for; the message names the certificate. */
    static final class Untrusted extends CertificateException {
        Untrusted(String message, Throwable cause) { super(message, cause); }
    }

    private final X509ExtendedTrustManager delegate;

    private ExplainingTrustManager(X509ExtendedTrustManager delegate) { this.delegate = delegate; }

    /** The JVM's default trust store. */
    static ExplainingTrustManager system() throws GeneralSecurityException {
        return new ExplainingTrustManager(fromKeyStore(null));
    }

    /** The JVM's default trust store plus every certificate in the PEM (or DER) file {@code caFile}. */
    static ExplainingTrustManager withExtraAnchors(Path caFile) throws GeneralSecurityException, IOException {
        Collection<? extends java.security.cert.Certificate> extra;
        try (InputStream in = Files.newInputStream(caFile)) {
            extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (CertificateException e) {
            throw new CertificateException("ca_file " + caFile + " holds no readable certificate: " + firstLine(e.getMessage()), e);
        }
        if (extra.isEmpty()) throw new CertificateException("ca_file " + caFile + " holds no certificate");
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (X509Certificate c : fromKeyStore(null).getAcceptedIssuers()) store.setCertificateEntry("system-" + i++, c);
        for (java.security.cert.Certificate c : extra) store.setCertificateEntry("ca-file-" + i++, c);
        return new ExplainingTrustManager(fromKeyStore(store));
    }

    private static X509ExtendedTrustManager fromKeyStore(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        for (TrustManager tm : f.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) return x;
        }
        throw new GeneralSecurityException("no X.509 trust manager available");
    }

    @Override
    X509ExtendedTrustManager delegate() { return delegate; }

    @Override
    CertificateException serverFailure(X509Certificate[] chain, CertificateException e) { return explain(chain, e); }

    @Override
    public X509Certificate[] getAcceptedIssuers() { return delegate.getAcceptedIssuers(); }

    static Untrusted explain(X509Certificate[] chain, CertificateException e) {
        if (chain == null || chain.length == 0) return new Untrusted("the server sent no certificate", e);
        X509Certificate leaf = chain[0];
        String subject = leaf.getSubjectX500Principal().getName();
        String issuer = chain[chain.length - 1].getIssuerX500Principal().getName();
        String why;
        if (has(e, CertificateExpiredException.class)) {
            X509Certificate expired = firstExpired(chain);
            why = expired.getSubjectX500Principal().getName() + " expired on " + expired.getNotAfter().toInstant().atZone(ZoneOffset.UTC).toLocalDate();
        } else if (has(e, CertificateNotYetValidException.class)) {
            why = subject + " is not valid before " + leaf.getNotBefore().toInstant().atZone(ZoneOffset.UTC).toLocalDate();
        } else if (has(e, CertPathBuilderException.class) || String.valueOf(e.getMessage()).contains("certification path")) {
            boolean selfSigned = chain.length == 1 && leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal());
            why = selfSigned ? subject + " is self-signed" : subject + " is issued by " + issuer + ", which is not a trusted authority";
        } else {
            why = subject + ": " + firstLine(innermost(e).getMessage());
        }
        return new Untrusted(why, e);
    }

    private static X509Certificate firstExpired(X509Certificate[] chain) {
        for (X509Certificate c : chain) {
            try {
                c.checkValidity();
            } catch (CertificateExpiredException | CertificateNotYetValidException ex) {
                return c;
            }
        }
        return chain[0];
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        List<Throwable> seen = new ArrayList<>();
        for (Throwable c = t; c != null && !seen.contains(c); c = c.getCause()) {
            if (type.isInstance(c)) return true;
            seen.add(c);
        }
        return false;
    }

    private static Throwable innermost(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        return c;
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}

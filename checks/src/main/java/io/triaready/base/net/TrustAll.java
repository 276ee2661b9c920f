package io.triaready.base.net;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS that accepts whatever certificate a server presents: for connections the playbook marks
 * {@code insecure: true}, and for the tls check, which judges the chain itself after the handshake.
 */
public final class TrustAll {
    /** Trusts every chain. */
    public static final X509TrustManager MANAGER = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    };

    private TrustAll() {}

    /** A new TLS context whose only trust manager is {@link #MANAGER}. */
    public static SSLContext context() throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {MANAGER}, new SecureRandom());
        return ctx;
    }
}

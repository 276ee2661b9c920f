package io.triaready.transport.http;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that hands every check, in each of its six forms, to another one: the one that
 * decides ({@link #delegate()}, which may be set up when the first check comes), and may reword why
 * a server's chain was refused ({@link #serverFailure}).
 */
abstract class ForwardingTrustManager extends X509ExtendedTrustManager {
    /** The trust manager that decides. */
    abstract X509ExtendedTrustManager delegate() throws CertificateException;

    /** What a refused server chain throws: the delegate's exception unless a subclass explains it. */
    CertificateException serverFailure(X509Certificate[] chain, CertificateException e) { return e; }

    @FunctionalInterface
    private interface Check {
        void by(X509ExtendedTrustManager trust) throws CertificateException;
    }

    private void server(X509Certificate[] chain, Check check) throws CertificateException {
        X509ExtendedTrustManager trust = delegate();
        try {
            check.by(trust);
        } catch (CertificateException e) {
            throw serverFailure(chain, e);
        }
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        server(chain, t -> t.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        server(chain, t -> t.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        server(chain, t -> t.checkServerTrusted(chain, authType));
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate().checkClientTrusted(chain, authType);
    }
}

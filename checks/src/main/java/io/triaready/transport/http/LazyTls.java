package io.triaready.transport.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The verifying client's TLS (the JVM's trust store, behind {@link ExplainingTrustManager}), set up
 * the first time a connection needs it. Loading the trust store and initialising JSSE cost a cold JVM
 * 0.1-0.15 s of CPU (measured: trust store 70-80 ms, {@code SSLContext} 55 ms on a 2-core machine),
 * while an audit whose HTTP checks are all plain {@code http://} never needs them; an {@code http://}
 * check that is redirected to {@code https://} sets them up then.
 *
 * <p>OkHttp asks the trust manager for its accepted issuers once, when the client is built, to index
 * roots for certificate pinning; that index would load the trust store at once. Before the first TLS
 * connection the answer is empty: tria-ready pins no certificates and never asks OkHttp for cleaned
 * peer chains, and certificates are verified by the {@link SSLContext}'s own trust manager, the real one.
 */
final class LazyTls {
    private volatile ExplainingTrustManager trust;
    private volatile SSLSocketFactory factory;

    final X509ExtendedTrustManager trustManager = new Trust();
    final SSLSocketFactory socketFactory = new Factory();

    /** Whether TLS was set up (for tests). */
    boolean loaded() { return factory != null; }

    private ExplainingTrustManager trust() throws GeneralSecurityException {
        ExplainingTrustManager t = trust;
        if (t == null) {
            synchronized (this) {
                if (trust == null) trust = ExplainingTrustManager.system();
                t = trust;
            }
        }
        return t;
    }

    private SSLSocketFactory factory() throws IOException {
        SSLSocketFactory f = factory;
        if (f == null) {
            synchronized (this) {
                if (factory == null) {
                    try {
                        factory = HttpClients.tlsContext(trust()).getSocketFactory();
                    } catch (GeneralSecurityException e) {
                        throw new SSLException("cannot set up TLS: " + e.getMessage(), e);
                    }
                }
                f = factory;
            }
        }
        return f;
    }

    private ExplainingTrustManager trustOrFail() throws CertificateException {
        try {
            return trust();
        } catch (GeneralSecurityException e) {
            throw new CertificateException("cannot load the JVM's trust store: " + e.getMessage(), e);
        }
    }

    private final class Trust extends ForwardingTrustManager {
        @Override
        X509ExtendedTrustManager delegate() throws CertificateException { return trustOrFail(); }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            ExplainingTrustManager t = trust;
            return t == null ? new X509Certificate[0] : t.getAcceptedIssuers(); // see the class comment
        }
    }

    private final class Factory extends SSLSocketFactory {
        @Override
        public String[] getDefaultCipherSuites() { return unchecked().getDefaultCipherSuites(); }

        @Override
        public String[] getSupportedCipherSuites() { return unchecked().getSupportedCipherSuites(); }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return factory().createSocket(s, host, port, autoClose);
        }

        @Override
        public Socket createSocket() throws IOException { return factory().createSocket(); }

        @Override
        public Socket createSocket(String host, int port) throws IOException { return factory().createSocket(host, port); }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return factory().createSocket(host, port, localHost, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException { return factory().createSocket(host, port); }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return factory().createSocket(address, port, localAddress, localPort);
        }

        private SSLSocketFactory unchecked() {
            try {
                return factory();
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
    }
}

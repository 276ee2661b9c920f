package io.triaready.http;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import io.triaready.check.ProbeContext;
import io.triaready.check.ProbeException;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * The run's HTTP clients: one connection pool and dispatcher for every HTTP-speaking check (http,
 * metrics, prometheus), so requests to one host reuse connections. Per-check settings (timeouts,
 * redirects) are derived with {@link OkHttpClient#newBuilder()}, which shares the pool.
 * Created on first use: a run without HTTP checks never loads OkHttp.
 */
public final class HttpClients {
    private HttpClients() {}

    /**
     * The verifying client (TLS checked against the JVM's trust store). Verification is the JVM's own;
     * only its failure message is made readable ({@link ExplainingTrustManager}). Its TLS is set up by
     * the first connection that needs it ({@link LazyTls}).
     */
    public static OkHttpClient shared(ProbeContext ctx) throws ProbeException { return verifying(ctx).client(); }

    /** Whether the shared client has set its TLS up yet (for tests). */
    static boolean tlsLoaded(ProbeContext ctx) throws ProbeException { return verifying(ctx).tls().loaded(); }

    private static Closing verifying(ProbeContext ctx) throws ProbeException {
        return ctx.session().shared("okhttp", () -> {
            LazyTls tls = new LazyTls();
            return new Closing(base().sslSocketFactory(tls.socketFactory, tls.trustManager).build(), tls);
        });
    }

    /**
     * A verifying client that also trusts the certificates in {@code caFile} (a private CA, say), one per
     * file and run, sharing the pool. A missing or unreadable file is a {@link ProbeException}.
     */
    public static OkHttpClient trusting(ProbeContext ctx, Path caFile) throws ProbeException {
        OkHttpClient verifying = shared(ctx);
        return ctx.session().shared("okhttp-ca:" + caFile.toAbsolutePath().normalize(), () -> {
            ExplainingTrustManager trust;
            try {
                trust = ExplainingTrustManager.withExtraAnchors(caFile);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new ProbeException("ca_file " + caFile + " does not exist");
            } catch (java.io.IOException e) {
                throw new ProbeException("cannot read ca_file " + caFile + ": " + e.getMessage());
            } catch (GeneralSecurityException e) {
                throw new ProbeException(ExplainingTrustManager.firstLine(e.getMessage()));
            }
            return new Shared(verifying.newBuilder().sslSocketFactory(tlsContext(trust).getSocketFactory(), trust).build());
        }).client();
    }

    /**
     * The client a check asked for: {@code insecure} (no verification), a {@code caFile} of extra trust
     * anchors ({@code ~/} expanded), or else the shared verifying one. Every HTTP-speaking check and fix
     * step chooses through here.
     */
    public static OkHttpClient select(ProbeContext ctx, boolean insecure, String caFile) throws ProbeException {
        if (insecure) return insecure(ctx);
        if (caFile != null) return trusting(ctx, io.triaready.host.LocalHost.path(caFile));
        return shared(ctx);
    }

    /** A client that accepts any certificate and host name: only for checks that say {@code insecure: true}. */
    public static OkHttpClient insecure(ProbeContext ctx) throws ProbeException {
        OkHttpClient verifying = shared(ctx);
        return ctx.session().shared("okhttp-insecure", () -> {
            X509TrustManager trustAll = new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String authType) { }
                public void checkServerTrusted(X509Certificate[] chain, String authType) { }
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            };
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {trustAll}, new SecureRandom());
            HostnameVerifier any = (host, session) -> true;
            return new Shared(verifying.newBuilder().sslSocketFactory(tls.getSocketFactory(), trustAll).hostnameVerifier(any).build());
        }).client();
    }

    /** A per-check client with its own deadline, sharing the pool of {@code base}. */
    public static OkHttpClient withTimeout(OkHttpClient base, Duration timeout) {
        return base.newBuilder().callTimeout(timeout).connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout).build();
    }

    /**
     * A per-check client: its own deadline ({@code callTimeout} covers connect, request, response and
     * body, and cancels the call when it passes) and redirect policy, sharing the pool of {@code base}.
     */
    public static OkHttpClient forCheck(OkHttpClient base, Duration timeout, boolean followRedirects) {
        return base.newBuilder().callTimeout(timeout).connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout)
                .followRedirects(followRedirects).followSslRedirects(followRedirects).build();
    }

    static SSLContext tlsContext(X509TrustManager trust) throws GeneralSecurityException {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {trust}, null);
        return tls;
    }

    private static OkHttpClient.Builder base() {
        return new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(32, 1, java.util.concurrent.TimeUnit.MINUTES))
                // a hung or failing target must cost one timeout, not several silent re-tries
                .retryOnConnectionFailure(false)
                .followRedirects(true)
                .followSslRedirects(true);
    }

    /**
     * A variant of the verifying client: it shares that client's pool and dispatcher, which the
     * verifying client's {@link Closing} shuts down, so it has nothing of its own to close.
     */
    private record Shared(OkHttpClient client) {}

    /** Shuts the pool's threads down when the run's session closes. */
    private record Closing(OkHttpClient client, LazyTls tls) implements AutoCloseable {
        @Override
        public void close() {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}

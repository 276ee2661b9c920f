package io.triaready.http;

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

    /** The verifying client (TLS checked against the JVM's trust store). */
    public static OkHttpClient shared(ProbeContext ctx) throws ProbeException {
        return ctx.session().shared("okhttp", () -> new Closing(base().build())).client();
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
            return new Closing(verifying.newBuilder().sslSocketFactory(tls.getSocketFactory(), trustAll).hostnameVerifier(any).build());
        }).client();
    }

    /** A per-check client with its own deadline, sharing the pool of {@code base}. */
    public static OkHttpClient withTimeout(OkHttpClient base, Duration timeout) {
        return base.newBuilder().callTimeout(timeout).connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout).build();
    }

    private static OkHttpClient.Builder base() {
        return new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(32, 1, java.util.concurrent.TimeUnit.MINUTES))
                // a hung or failing target must cost one timeout, not several silent re-tries
                .retryOnConnectionFailure(false)
                .followRedirects(true)
                .followSslRedirects(true);
    }

    /** Shuts the pool's threads down when the run's session closes. */
    private record Closing(OkHttpClient client) implements AutoCloseable {
        @Override
        public void close() {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}

package io.triaready.transport.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Set;

import okhttp3.ConnectionPool;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends a read (GET, HEAD, OPTIONS, or a request tagged {@link HttpClients.Resendable}) once more, on
 * a new connection, when it failed on a kept-alive connection before any of the answer came back: the
 * server had closed that connection (an HTTP/1.0 server after each answer, an idle timeout, nginx
 * reloading). Browsers and curl do the same. It is not a check retry: the check's verdict and timeout
 * are untouched, and the second send happens within the same call deadline.
 *
 * <p>Why OkHttp's own recovery does not do this here: it is all or nothing
 * ({@code retryOnConnectionFailure}), and also retries connect timeouts on further routes, fresh
 * connections the server dropped and POST bodies; the run's client turns it off so that a hung or
 * broken target costs one timeout. OkHttp also skips its thorough "is this pooled socket still open"
 * test before reusing a connection for a GET (it counts on that recovery), so a GET on a connection
 * whose FIN had already arrived failed with "unexpected end of stream". This interceptor restores
 * exactly the safe part: a read, a reused connection, nothing answered, not a timeout.
 *
 * <p>A failure on a new connection is the server's answer and is never sent again. Before the second
 * send the pool's idle connections are dropped: the event that closed one (a reload, a restart)
 * usually closed the others too, and the second send must go out on a new connection.
 */
final class ClosedConnectionRetry implements Interceptor {
    static final Set<String> RESENDABLE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final CallTrace.Tracer tracer;
    private final ConnectionPool pool;

    ClosedConnectionRetry(CallTrace.Tracer tracer, ConnectionPool pool) {
        this.tracer = tracer;
        this.pool = pool;
    }

    static boolean resendable(Request request) {
        return RESENDABLE_METHODS.contains(request.method()) || request.tag(HttpClients.Resendable.class) != null;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        CallTrace trace = tracer.of(chain.call());
        try {
            return chain.proceed(request);
        } catch (IOException e) {
            if (e instanceof InterruptedIOException || chain.call().isCanceled() || !resendable(request)
                    || !trace.failedOnReusedConnectionUnanswered()) {
                throw e;
            }
            // Under many checks at once another check may hand a kept-alive connection back to the pool
            // between the eviction and the resend, and the resend may meet one the server closed too:
            // each such failure is again "reused, nothing answered", so sending once more stays safe.
            // A failure on a new connection, or after MAX_RESENDS, is the server's answer.
            IOException last = e;
            for (int i = 0; i < MAX_RESENDS; i++) {
                pool.evictAll();
                trace.resending();
                try {
                    return chain.proceed(request);
                } catch (IOException again) {
                    again.addSuppressed(last);
                    last = again;
                    if (again instanceof InterruptedIOException || chain.call().isCanceled() || !trace.failedOnReusedConnectionUnanswered()) break;
                }
            }
            throw last;
        }
    }

    /** Sends after the first, each only after a failure on a reused connection that answered nothing. */
    static final int MAX_RESENDS = 3;
}

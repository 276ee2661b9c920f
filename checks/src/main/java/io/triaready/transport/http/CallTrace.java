package io.triaready.transport.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;

/**
 * What one call did on the wire, from OkHttp's events: whether the exchange in progress runs on a
 * kept-alive (reused) connection and has seen any of its answer, which {@link ClosedConnectionRetry}
 * needs to know whether sending the request again is safe; and when the request went out, so that a
 * check's {@code duration_ms} is the target's time (request sent to response complete) without DNS,
 * connect and TLS handshakes, nor the time an attempt spent on a connection the server had closed.
 */
final class CallTrace extends EventListener {
    /** Creates one trace per call and finds it again by the call. */
    static final class Tracer implements EventListener.Factory {
        private final Map<Call, CallTrace> traces = Collections.synchronizedMap(new WeakHashMap<>());

        @Override
        public EventListener create(Call call) {
            CallTrace t = new CallTrace();
            traces.put(call, t);
            return t;
        }

        /** The trace of {@code call}: an empty one when the call was not made by a client with this tracer. */
        CallTrace of(Call call) {
            CallTrace t = traces.get(call);
            return t == null ? new CallTrace() : t;
        }
    }

    /** The trace of a call made by {@code client} (any client derived from the run's shared one). */
    static CallTrace of(OkHttpClient client, Call call) {
        return client.eventListenerFactory() instanceof Tracer t ? t.of(call) : new CallTrace();
    }

    /** A connect (or DNS look-up) began since the last connection was acquired: the next one is new. */
    private boolean connecting;
    private boolean reused;
    private boolean answered;
    /** When the current attempt's first request started out, or 0. */
    private long sentAt;
    /** Time spent connecting (DNS, TCP, TLS) after {@link #sentAt}: a redirect to another host. */
    private long excluded;
    private long phaseStart;
    private int resent;

    @Override
    public synchronized void dnsStart(Call call, String domainName) { startPhase(); }

    @Override
    public synchronized void dnsEnd(Call call, String domainName, List<InetAddress> addresses) { endPhase(); }

    @Override
    public synchronized void connectStart(Call call, InetSocketAddress address, Proxy proxy) { startPhase(); }

    @Override
    public synchronized void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) { endPhase(); }

    @Override
    public synchronized void connectFailed(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol, IOException e) { endPhase(); }

    private void startPhase() {
        connecting = true;
        phaseStart = System.nanoTime();
    }

    private void endPhase() {
        if (sentAt != 0 && phaseStart != 0) excluded += System.nanoTime() - phaseStart;
        phaseStart = 0;
    }

    @Override
    public synchronized void connectionAcquired(Call call, Connection connection) {
        reused = !connecting;
        connecting = false;
        answered = false;
    }

    @Override
    public synchronized void requestHeadersStart(Call call) {
        if (sentAt == 0) sentAt = System.nanoTime();
    }

    @Override
    public synchronized void responseHeadersStart(Call call) { answered = true; }

    @Override
    public synchronized void responseHeadersEnd(Call call, Response response) { answered = true; }

    /** The exchange that just failed ran on a kept-alive connection and had not seen a byte of its answer. */
    synchronized boolean failedOnReusedConnectionUnanswered() { return reused && !answered; }

    /** The request is about to be sent again: the timing starts over with the new attempt. */
    synchronized void resending() {
        resent++;
        sentAt = 0;
        excluded = 0;
        answered = false;
    }

    /** How many times the request was sent again after a kept-alive connection failed. */
    synchronized int resent() { return resent; }

    /**
     * Request sent to {@code endNanos} (the response read), less any connect in between; -1 when no
     * request went out (the caller then falls back to its own clock).
     */
    synchronized long onWireNanos(long endNanos) {
        if (sentAt == 0) return -1;
        return Math.max(0, endNanos - sentAt - excluded);
    }
}

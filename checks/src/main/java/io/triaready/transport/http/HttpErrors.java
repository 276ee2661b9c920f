package io.triaready.transport.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

import io.triaready.base.yaml.Durations;
import io.triaready.spi.ProbeException;
import okhttp3.HttpUrl;

/**
 * Turns what OkHttp and the JDK throw into the one line a report shows: "connection refused by
 * db:8080", "no response within 2.0s", "certificate not trusted: CN=x is self-signed (use insecure:
 * true to skip verification)". Never includes request headers or body (they may hold tokens).
 */
public final class HttpErrors {
    static final String INSECURE_HINT = " (use insecure: true to skip verification)";

    private static final Pattern FAILED_TO_CONNECT = Pattern.compile("Failed to connect to (\\S*?)/?([^/\\s]*):(\\d+)");
    private static final Pattern NOT_VERIFIED = Pattern.compile("Hostname (\\S+) not verified");
    private static final Pattern ALT_NAMES = Pattern.compile("subjectAltNames: \\[([^\\]]*)]");

    private HttpErrors() {}

    /** The request failed before a response arrived. */
    public static ProbeException beforeResponse(IOException e, HttpUrl url, Duration timeout) {
        return new ProbeException(describe(e, url, timeout), e);
    }

    /** The response arrived ({@code status}) but its body could not be read to the end. */
    public static ProbeException duringBody(IOException e, int status, Duration timeout) {
        if (e instanceof InterruptedIOException) {
            return new ProbeException("status " + status + " but the body was not complete within " + Durations.format(timeout), e);
        }
        return new ProbeException("status " + status + " but reading the body failed: " + message(e), e);
    }

    static String describe(IOException e, HttpUrl url, Duration timeout) {
        List<Throwable> chain = chain(e);
        String where = url.host() + ":" + url.port();

        for (Throwable t : chain) {
            if (t instanceof ExplainingTrustManager.Untrusted u) return "certificate not trusted: " + u.getMessage() + INSECURE_HINT;
        }
        for (Throwable t : chain) {
            if (t instanceof SSLPeerUnverifiedException p) return hostMismatch(p, url);
        }
        for (Throwable t : chain) {
            if (t instanceof UnknownHostException u) return "unknown host '" + unresolved(u, url) + "'";
        }
        if (e instanceof InterruptedIOException) {
            String m = String.valueOf(e.getMessage()).toLowerCase();
            if (m.contains("connect timed out") || m.startsWith("failed to connect")) {
                return "could not connect to " + where + " within " + Durations.format(timeout);
            }
            return "no response within " + Durations.format(timeout);
        }
        for (Throwable t : chain) {
            if (t instanceof NoRouteToHostException) return "no route to host " + where;
        }
        if (e instanceof ConnectException) {
            String hop = hop(e.getMessage(), where);
            for (Throwable t : chain) {
                if (t != e && t instanceof ConnectException && String.valueOf(t.getMessage()).toLowerCase().contains("refused")) {
                    return "connection refused by " + hop;
                }
            }
            return "cannot connect to " + hop + ": " + message(innermost(e));
        }
        for (Throwable t : chain) {
            if (t instanceof SSLException s) {
                String m = message(innermost(s));
                if (m.toLowerCase().contains("unrecognized ssl message") || m.toLowerCase().contains("unsupported or unrecognized")) {
                    return "TLS handshake with " + where + " failed: the server does not speak TLS on this port (is it plain http?)";
                }
                return "TLS handshake with " + where + " failed: " + m;
            }
        }
        if (e instanceof ProtocolException && String.valueOf(e.getMessage()).startsWith("Too many follow-up requests")) {
            return "too many redirects (more than 20) from " + url;
        }
        if (e instanceof ProtocolException) return "invalid HTTP response from " + where + ": " + message(e);
        return "request to " + where + " failed: " + message(e);
    }

    /** "host:port" of the hop that failed (after a redirect it is not the URL the check names). */
    private static String hop(String message, String fallback) {
        Matcher m = FAILED_TO_CONNECT.matcher(String.valueOf(message));
        if (!m.find()) return fallback;
        String name = m.group(1).isEmpty() ? m.group(2) : m.group(1);
        return name + ":" + m.group(3);
    }

    private static String hostMismatch(SSLPeerUnverifiedException p, HttpUrl url) {
        String msg = String.valueOf(p.getMessage());
        Matcher host = NOT_VERIFIED.matcher(msg);
        if (!host.find()) return "TLS peer not verified: " + ExplainingTrustManager.firstLine(msg) + INSECURE_HINT;
        Matcher alt = ALT_NAMES.matcher(msg);
        String forNames = alt.find() && !alt.group(1).isBlank() ? " (it is for " + alt.group(1) + ")" : "";
        return "certificate does not match host '" + host.group(1) + "'" + forNames + INSECURE_HINT;
    }

    /** The name that did not resolve: the JDK puts it first in the message ("name: Name or service not known"). */
    private static String unresolved(UnknownHostException e, HttpUrl url) {
        String m = ExplainingTrustManager.firstLine(e.getMessage());
        int colon = m.indexOf(':');
        String name = colon > 0 ? m.substring(0, colon) : m;
        return name.isEmpty() || name.contains(" ") ? url.host() : name;
    }

    private static List<Throwable> chain(Throwable e) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable t = e; t != null && !out.contains(t); t = t.getCause()) {
            out.add(t);
            for (Throwable s : t.getSuppressed()) if (!out.contains(s)) out.add(s);
        }
        return out;
    }

    private static Throwable innermost(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        return c;
    }

    private static String message(Throwable t) {
        String m = ExplainingTrustManager.firstLine(t.getMessage());
        return m.isEmpty() ? t.getClass().getSimpleName() : m;
    }
}

package io.triaready.transport.pool;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The key under which a run shares a connection ({@link io.triaready.spi.Session#shared}): everything
 * that authenticates or secures the connection (URL, user, password, database, TLS settings, tunnel),
 * so that a check with a wrong password never rides on a connection another check opened with the
 * right one.
 *
 * <p>The key holds every part as text except those that may be secret (a password, a URL that may
 * carry one): those enter it as a token, a number this process gives each distinct value the first
 * time it sees it. Unlike a digest it cannot collide and costs nothing (a JCA digest costs a cold JVM
 * 0.15-0.3 s, taken from the first check's timeout); like a digest it gives nothing away if a key is
 * ever printed. The values themselves stay in memory, as they do anyway for masking output.
 */
public final class ClientKey {
    private ClientKey() {}

    private static final Map<String, Long> TOKENS = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong();

    /** A stand-in for a value that may be secret: equal values get equal tokens, and the token says nothing about the value. */
    public static String secret(Object value) {
        if (value == null) return "-";
        return "s" + TOKENS.computeIfAbsent(String.valueOf(value), v -> NEXT.incrementAndGet());
    }

    /**
     * {@code kind:shown|part|part...}: {@code shown} and {@code parts} must not be secret (wrap those in
     * {@link #secret}). A null part is written {@code -}; each part is quoted so no two lists give one key.
     */
    public static String of(String kind, String shown, Object... parts) {
        StringBuilder b = new StringBuilder(kind).append(':').append(shown);
        for (Object p : parts) {
            b.append('|');
            if (p == null) {
                b.append('-');
            } else {
                String s = String.valueOf(p);
                b.append(s.length()).append('\'').append(s);
            }
        }
        return b.toString();
    }
}

package io.triaready.fix;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.triaready.host.ExecResult;
import io.triaready.host.HostTransport;
import io.triaready.host.Shell;

/**
 * An on-target lock so that two people never fix the same host at once: a directory created
 * atomically with {@code mkdir} (atomic on every POSIX filesystem), holding an {@code owner} file
 * that says who took it, for which fix, and since when. Released only by the holder (matched by a
 * random token), so a second operator cannot remove the first one's lock by accident.
 */
final class HostLock {
    private final HostTransport host;
    private final String dir;
    private final String token = UUID.randomUUID().toString();

    private HostLock(HostTransport host, String dir) {
        this.host = host;
        this.dir = dir;
    }

    /** Who holds a lock that could not be taken. */
    record Held(String owner) {}

    /** Takes the lock, or returns who holds it. */
    static Object acquire(HostTransport host, String dir, String operator, String fixId, Duration timeout) throws Exception {
        HostLock lock = new HostLock(host, dir);
        String owner = operator + " (fix " + fixId + ") since " + Instant.now() + " token=" + lock.token;
        String q = Shell.quote(dir);
        ExecResult r = host.exec("if mkdir " + q + " 2>/dev/null; then printf '%s\\n' " + Shell.quote(owner) + " > " + q
                + "/owner && echo TAKEN; else echo HELD; cat " + q + "/owner 2>/dev/null; fi", null, timeout);
        String out = r.stdout().strip();
        if (out.startsWith("TAKEN")) return lock;
        if (!out.startsWith("HELD")) throw new IllegalStateException("could not take the lock " + dir + ": " + HostTransport.firstLine(r.stderr()));
        String holder = out.substring(4).strip().replaceAll("\\s*token=\\S+$", "");
        return new Held(holder.isEmpty() ? "someone (no owner file in " + dir + ")" : holder);
    }

    void release(Duration timeout) {
        String q = Shell.quote(dir);
        try {
            host.exec("if grep -q " + Shell.quote("token=" + token) + " " + q + "/owner 2>/dev/null; then rm -rf " + q + "; fi", null, timeout);
        } catch (Exception ignored) {
            // a lock left behind names its owner; the next operator is told who and since when
        }
    }
}

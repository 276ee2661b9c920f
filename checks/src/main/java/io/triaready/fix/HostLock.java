package io.triaready.fix;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.triaready.spi.ExecResult;
import io.triaready.spi.HostTransport;
import io.triaready.spi.Shell;

/**
 * On-target locks so that two fixes that touch the same thing never run on a host at once. A lock
 * is a directory {@code BASE/NAME} created atomically with {@code mkdir} (atomic on every POSIX
 * filesystem), holding an {@code owner} file that says who took it, for which fix, and since when.
 * A fix takes one lock per name of {@link io.triaready.core.playbook.FixDef#lockNames()} (all or none),
 * so only fixes that share a name exclude each other. Released only by the holder (matched by a
 * random token), so a second operator cannot remove the first one's lock by accident; a lock a
 * crashed run left behind is removed with {@code tria-ready fix --clear-lock}, which shows its holder first.
 */
final class HostLock {
    private final HostTransport host;
    private final String base;
    private final List<String> names = new ArrayList<>();
    private final String token = UUID.randomUUID().toString();

    private HostLock(HostTransport host, String base) {
        this.host = host;
        this.base = base;
    }

    /** A lock that could not be taken, or one found by {@link #list}: its name and who holds it. */
    record Held(String name, String owner) {}

    /** Takes every lock of {@code names}, or none of them and returns who holds the first one taken already. */
    static Object acquire(HostTransport host, String base, List<String> names, String operator, String fixId, Duration timeout) throws Exception {
        HostLock lock = new HostLock(host, base);
        String owner = operator + " (fix " + fixId + ") since " + Instant.now() + " token=" + lock.token;
        String b = Shell.quote(base);
        for (String name : names) {
            String q = Shell.quote(base + "/" + name);
            ExecResult r = host.exec("mkdir -p " + b + " 2>/dev/null; if mkdir " + q + " 2>/dev/null; then printf '%s\\n' " + Shell.quote(owner) + " > " + q
                    + "/owner && echo TAKEN; else echo HELD; cat " + q + "/owner 2>/dev/null; fi", null, timeout);
            String out = r.stdout().strip();
            if (out.startsWith("TAKEN")) {
                lock.names.add(name);
                continue;
            }
            lock.release(timeout); // all or none: a fix never runs holding half of what it needs
            if (!out.startsWith("HELD")) throw new IllegalStateException("could not take the lock " + base + "/" + name + ": " + HostTransport.firstLine(r.stderr()));
            String holder = out.substring(4).strip().replaceAll("\\s*token=\\S+$", "");
            return new Held(name, holder.isEmpty() ? "someone (no owner file in " + base + "/" + name + ")" : holder);
        }
        return lock;
    }

    /** Releases what this run took; works even when the calling thread was interrupted (Ctrl-C must not leave locks behind). */
    void release(Duration timeout) {
        release(host, timeout);
    }

    /** Releases over {@code via}: the same host reached over another connection (the first one was closed to stop a step). */
    void release(HostTransport via, Duration timeout) {
        boolean interrupted = Thread.interrupted();
        try {
            for (String name : names) {
                String q = Shell.quote(base + "/" + name);
                try {
                    via.exec("if grep -q " + Shell.quote("token=" + token) + " " + q + "/owner 2>/dev/null; then rm -rf " + q + "; fi", null, timeout);
                } catch (Exception ignored) {
                    // a lock left behind names its owner; the next operator is told who and since when, and can clear it
                }
            }
            names.clear();
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** The locks held on a host under {@code base}. */
    static List<Held> list(HostTransport host, String base, Duration timeout) throws Exception {
        String b = Shell.quote(base);
        ExecResult r = host.exec("for d in " + b + "/*/; do [ -d \"$d\" ] || continue; n=$(basename \"$d\"); printf 'LOCK %s ' \"$n\"; "
                + "head -n 1 \"$d/owner\" 2>/dev/null || echo; done", null, timeout);
        List<Held> out = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.startsWith("LOCK ")) continue;
            String rest = line.substring(5);
            int sp = rest.indexOf(' ');
            String name = sp < 0 ? rest.strip() : rest.substring(0, sp);
            String owner = sp < 0 ? "" : rest.substring(sp + 1).strip().replaceAll("\\s*token=\\S+$", "");
            out.add(new Held(name, owner.isEmpty() ? "someone (no owner file)" : owner));
        }
        return out;
    }

    /** Removes one lock, whoever holds it: only after the user saw its holder and said yes. */
    static void clear(HostTransport host, String base, String name, Duration timeout) throws Exception {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) throw new IllegalArgumentException("invalid lock name '" + name + "'");
        ExecResult r = host.exec("rm -rf " + Shell.quote(base + "/" + name), null, timeout);
        if (r.exitCode() != 0) throw new IllegalStateException("could not remove " + base + "/" + name + ": " + HostTransport.firstLine(r.stderr()));
    }
}

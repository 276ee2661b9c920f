package io.triaready.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * A machine that host-scoped checks run on: the local one, or a remote one over SSH.
 * Only {@link #exec} is required; file access has portable defaults built on it (GNU or BusyBox
 * {@code stat}/{@code head}), which a transport may override with something cheaper.
 */
public interface HostTransport {
    /** Largest file content read into memory for a check. */
    long MAX_READ = 8L * 1024 * 1024;

    /** The host's name in reports ("local", "web-1"). */
    String name();

    /**
     * Runs {@code command} with {@code /bin/sh -c} semantics. {@code stdin} may be null; it is how
     * a sudo password reaches a command (never on its command line).
     *
     * @throws TimeoutException when the command did not finish within {@code timeout} (it is killed)
     * @throws IOException when the command could not be run at all (connection lost, ...)
     */
    ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException, TimeoutException, InterruptedException;

    /**
     * Like {@link #exec(String, byte[], Duration)}, but hands each line of output (stdout and stderr) to
     * {@code onLine} as it arrives, for fixes that show progress live. The default delivers the lines
     * when the command ends; transports that can stream override it.
     */
    default ExecResult exec(String command, byte[] stdin, Duration timeout, java.util.function.Consumer<String> onLine)
            throws IOException, TimeoutException, InterruptedException {
        ExecResult r = exec(command, stdin, timeout);
        r.stdout().lines().forEach(onLine);
        r.stderr().lines().forEach(onLine);
        return r;
    }

    /**
     * Like {@link #exec(String, byte[], Duration)} within a {@link Deadline} (a check's command share,
     * {@link Deadline#forCommand}, or a plain one): a transport that shares slots (SSH channels) waits for
     * one until {@link Deadline#queueDeadline}, reports the wait ({@link Deadline#afterWaiting}), and gives
     * the command its own time from when it went out. By default: what is left, as a plain timeout.
     */
    default ExecResult exec(String command, byte[] stdin, Deadline limits) throws IOException, TimeoutException, InterruptedException {
        return exec(command, stdin, limits.afterWaiting(Duration.ZERO)); // no slot to wait for: the wait ends now
    }

    /** {@link #sudo(String, Duration)} with a check's budget (see {@link #exec(String, byte[], Deadline)}). */
    default ExecResult sudo(String command, Deadline limits) throws IOException, TimeoutException, InterruptedException {
        return sudo(command, limits.afterWaiting(Duration.ZERO));
    }

    /**
     * Runs {@code command} as root through sudo ({@link Sudo#wrap}). A transport that knows the host's
     * sudo password overrides this to send it on stdin; by default sudo must not need one ({@code -n}).
     *
     * @throws IOException when sudo itself refused (not installed, password needed or wrong, not allowed)
     */
    default ExecResult sudo(String command, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        ExecResult r = exec(Sudo.wrap(command, false), null, timeout);
        Sudo.check(r, name());
        return r;
    }

    /** The host's sudo password (inventory {@code sudo_password}), or null: for {@link SecretEnv#prepareSudo}. */
    default String sudoPassword() { return null; }

    /** The file's metadata, or empty when it does not exist. Symlinks are not followed. */
    default Optional<FileStat> stat(String path, Deadline deadline) throws IOException, TimeoutException, InterruptedException {
        return peek(path, 0, deadline).stat();
    }

    /**
     * The file's metadata and its first {@code peekBytes} in one command (behind latency, each command
     * costs round trips). Content is only included for a readable regular file. A check passes its
     * command share ({@link Deadline#forCommand}): a wait for an SSH channel is then queued time, not the
     * check's own, as for any other command.
     */
    default FilePeek peek(String path, int peekBytes, Deadline deadline) throws IOException, TimeoutException, InterruptedException {
        String q = Shell.quote(path);
        String marker = "--tria-ready-content--";
        ExecResult r = exec("if [ -e " + q + " ] || [ -L " + q + " ]; then stat -c '%F|%a|%s|%U|%G|%Y' -- " + q + " || exit 3; "
                + "if [ " + peekBytes + " -gt 0 ] && [ -f " + q + " ] && [ -r " + q + " ]; then echo " + marker + "; head -c " + peekBytes + " -- " + q + "; fi; "
                + "else echo MISSING; fi", null, deadline);
        String out = r.stdout();
        if (out.strip().equals("MISSING")) return new FilePeek(Optional.empty(), null, false);
        if (r.exitCode() != 0) throw new IOException("stat " + path + ": " + firstLine(r.stderr()));
        int nl = out.indexOf('\n');
        String statLine = nl < 0 ? out.strip() : out.substring(0, nl);
        FileStat stat = parseStat(path, statLine);
        String head = null;
        int m = out.indexOf(marker + "\n", Math.max(0, nl));
        if (m >= 0) head = out.substring(m + marker.length() + 1);
        boolean complete = head != null && stat.size() <= peekBytes;
        return new FilePeek(Optional.of(stat), head, complete);
    }

    /** One line of {@code stat -c '%F|%a|%s|%U|%G|%Y'}. */
    static FileStat parseStat(String path, String out) throws IOException {
        String[] p = out.strip().split("\\|", -1);
        if (p.length < 6) throw new IOException("stat " + path + ": unexpected output '" + out.strip() + "'");
        String type = switch (p[0]) {
            case "regular file", "regular empty file" -> "file";
            case "directory" -> "directory";
            case "symbolic link" -> "symlink";
            default -> "other";
        };
        return new FileStat(path, type, Integer.parseInt(p[1], 8), Long.parseLong(p[2]), p[3], p[4], Instant.ofEpochSecond(Long.parseLong(p[5])));
    }

    /** Up to {@code maxBytes} of the file's content. */
    default byte[] read(String path, long maxBytes, Deadline deadline) throws IOException, TimeoutException, InterruptedException {
        ExecResult r = exec("head -c " + maxBytes + " -- " + Shell.quote(path), null, deadline);
        if (r.exitCode() != 0) throw new IOException("read " + path + ": " + firstLine(r.stderr()));
        return r.stdout().getBytes(StandardCharsets.UTF_8);
    }

    static String firstLine(String s) {
        if (s == null) return "";
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}

package io.triaready.transport.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.triaready.base.os.UserHome;
import io.triaready.spi.Deadline;
import io.triaready.spi.ExecResult;
import io.triaready.spi.FilePeek;
import io.triaready.spi.FileStat;
import io.triaready.spi.HostTransport;

/** The machine tria-ready runs on. Commands run under {@code /bin/sh -c}; files are read directly. */
public final class LocalHost implements HostTransport {
    /** Output kept per stream; the rest is drained and dropped so a chatty command cannot exhaust memory. */
    static final int MAX_OUTPUT = 1024 * 1024;

    public static final LocalHost INSTANCE = new LocalHost();

    /** A path on this machine as users write it in playbooks and inventories: {@code ~/} is their home. */
    public static Path path(String text) {
        return UserHome.path(text);
    }

    @Override
    public String name() { return "local"; }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        return exec(command, stdin, timeout, null);
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout, java.util.function.Consumer<String> onLine)
            throws IOException, TimeoutException, InterruptedException {
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command);
        Process p = pb.start();
        Drain out = new Drain(p.getInputStream(), onLine);
        Drain err = new Drain(p.getErrorStream(), onLine);
        out.start();
        err.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin);
        } catch (IOException ignored) {
            // the command did not read its input: not our failure
        }
        boolean done;
        try {
            done = p.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            // stopped (Ctrl-C during a fix): the command must not go on running behind the user's back
            killTree(p);
            throw e;
        }
        if (!done) {
            killTree(p);
            throw new TimeoutException("command did not finish within " + timeout.toMillis() + "ms");
        }
        out.join(1000);
        err.join(1000);
        return new ExecResult(p.exitValue(), out.text(), err.text(), Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Kills the shell first, then what it started (listed before): killing the children first would let
     * the shell run its next command ("sleep 30; touch x" would still touch x).
     */
    private static void killTree(Process p) {
        java.util.List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public Optional<FileStat> stat(String path, Deadline deadline) throws IOException {
        deadline.afterWaiting(Duration.ZERO); // no slot to wait for here: a command share's wait ends now
        Path p = Path.of(path);
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String type = a.isRegularFile() ? "file" : a.isDirectory() ? "directory" : a.isSymbolicLink() ? "symlink" : "other";
        int mode = 0;
        for (PosixFilePermission perm : a.permissions()) mode |= 1 << (8 - perm.ordinal());
        Object unixMode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (unixMode instanceof Integer m) mode = m & 07777; // includes setuid/setgid/sticky
        return Optional.of(new FileStat(path, type, mode, a.size(), a.owner().getName(), a.group().getName(),
                a.lastModifiedTime().toInstant()));
    }

    @Override
    public FilePeek peek(String path, int peekBytes, Deadline deadline) throws IOException {
        Optional<FileStat> stat = stat(path, deadline);
        if (stat.isEmpty() || !stat.get().type().equals("file") || !Files.isReadable(Path.of(path))) return new FilePeek(stat, null, false);
        String head = new String(read(path, peekBytes, deadline), StandardCharsets.UTF_8);
        return new FilePeek(stat, head, stat.get().size() <= peekBytes);
    }

    @Override
    public byte[] read(String path, long maxBytes, Deadline deadline) throws IOException {
        deadline.afterWaiting(Duration.ZERO);
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            return in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 8));
        }
    }

    /** Reads a stream to the end on its own thread, keeping the first {@link #MAX_OUTPUT} bytes. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final java.util.function.Consumer<String> onLine;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Drain(InputStream in, java.util.function.Consumer<String> onLine) {
            this.in = in;
            this.onLine = onLine;
            setDaemon(true);
            setName("tria-drain");
        }

        @Override
        public void run() {
            byte[] b = new byte[8192];
            try {
                int n;
                while ((n = in.read(b)) > 0) {
                    synchronized (buf) {
                        if (buf.size() < MAX_OUTPUT) buf.write(b, 0, Math.min(n, MAX_OUTPUT - buf.size()));
                    }
                    if (onLine != null) lines(b, n);
                }
            } catch (IOException ignored) {
                // process gone
            }
            if (onLine != null && line.size() > 0) onLine.accept(line.toString(StandardCharsets.UTF_8));
        }

        private void lines(byte[] b, int n) {
            for (int i = 0; i < n; i++) {
                if (b[i] == '\n') {
                    onLine.accept(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else if (line.size() < 16 * 1024) {
                    line.write(b[i]);
                }
            }
        }

        String text() {
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }
}

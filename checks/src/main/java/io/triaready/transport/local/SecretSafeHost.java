package io.triaready.transport.local;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.triaready.base.secret.Secrets;
import io.triaready.spi.Deadline;
import io.triaready.spi.ExecResult;
import io.triaready.spi.FilePeek;
import io.triaready.spi.FileStat;
import io.triaready.spi.HostTransport;
import io.triaready.spi.Sudo;

/**
 * A host whose commands never carry a secret on their command line: every command (a check's, a
 * file check's {@code stat}, a fix step's) goes through {@link SecretEnv}, which hands the run's
 * secrets to it through stdin and its environment instead. What checks get from
 * {@code ProbeContext.host()}.
 */
public final class SecretSafeHost implements HostTransport {
    private final HostTransport inner;
    private final Secrets secrets;

    private SecretSafeHost(HostTransport inner, Secrets secrets) {
        this.inner = inner;
        this.secrets = secrets;
    }

    public static HostTransport of(HostTransport inner, Secrets secrets) {
        if (inner == null || secrets == null || inner instanceof SecretSafeHost) return inner;
        return new SecretSafeHost(inner, secrets);
    }

    /** The transport underneath (to reach what only it offers, e.g. port forwarding). */
    public HostTransport unwrap() { return inner; }

    @Override
    public String name() { return inner.name(); }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        SecretEnv.Prepared p = SecretEnv.prepare(command, stdin, secrets.values());
        return inner.exec(p.command(), p.stdin(), timeout);
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout, Consumer<String> onLine)
            throws IOException, TimeoutException, InterruptedException {
        SecretEnv.Prepared p = SecretEnv.prepare(command, stdin, secrets.values());
        return inner.exec(p.command(), p.stdin(), timeout, onLine);
    }

    @Override
    public ExecResult sudo(String command, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        return sudo(command, Deadline.of(timeout)); // one budget for the wait and the command, as the transports do
    }

    /** With a check's budget: the inner transport still queues for its slot and reports the wait. */
    @Override
    public ExecResult exec(String command, byte[] stdin, Deadline limits) throws IOException, TimeoutException, InterruptedException {
        SecretEnv.Prepared p = SecretEnv.prepare(command, stdin, secrets.values());
        return inner.exec(p.command(), p.stdin(), limits);
    }

    @Override
    public ExecResult sudo(String command, Deadline limits) throws IOException, TimeoutException, InterruptedException {
        if (!SecretEnv.hide(command, secrets.values()).any()) return inner.sudo(command, limits);
        SecretEnv.Prepared p = SecretEnv.prepareSudo(command, inner.sudoPassword(), secrets.values());
        ExecResult r = inner.exec(p.command(), p.stdin(), limits);
        Sudo.check(r, name());
        return r;
    }

    @Override
    public String sudoPassword() { return inner.sudoPassword(); }

    @Override
    public Optional<FileStat> stat(String path, Deadline timeout) throws IOException, TimeoutException, InterruptedException {
        return carriesSecret(path) ? HostTransport.super.stat(path, timeout) : inner.stat(path, timeout);
    }

    @Override
    public FilePeek peek(String path, int peekBytes, Deadline timeout) throws IOException, TimeoutException, InterruptedException {
        return carriesSecret(path) ? HostTransport.super.peek(path, peekBytes, timeout) : inner.peek(path, peekBytes, timeout);
    }

    @Override
    public byte[] read(String path, long maxBytes, Deadline timeout) throws IOException, TimeoutException, InterruptedException {
        return carriesSecret(path) ? HostTransport.super.read(path, maxBytes, timeout) : inner.read(path, maxBytes, timeout);
    }

    /** A path with a secret in it is read with this host's shell commands (through {@link #exec}), not the transport's own way. */
    private boolean carriesSecret(String path) {
        List<String> values = secrets.values();
        for (String v : values) if (path != null && path.contains(v)) return true;
        return false;
    }

    @Override
    public String toString() { return inner.toString(); }
}

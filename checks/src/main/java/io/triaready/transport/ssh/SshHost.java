package io.triaready.transport.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.triaready.spi.Deadline;
import io.triaready.spi.ExecResult;
import io.triaready.spi.HostTransport;
import io.triaready.spi.Sudo;
import io.triaready.spi.Tunneling;

/**
 * A host reached over SSH. Commands are sent as-is (callers quote values with
 * {@link io.triaready.spi.Shell#quote}); sshd runs them with the user's login shell, without a
 * terminal and without any of the local environment. Several {@code SshHost}s naming the same
 * {@code user@host:port} share one {@link SshConnection}.
 */
public final class SshHost implements HostTransport, Tunneling {
    private final String name;
    private final SshConnection connection;

    SshHost(String name, SshConnection connection) {
        this.name = name;
        this.connection = connection;
    }

    @Override
    public String name() { return name; }

    /** {@code user@host:port}, for messages. */
    public String label() { return connection.settings().label(); }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        try {
            return connection.exec(command, stdin, timeout);
        } catch (IOException e) {
            throw new IOException(prefixed(e.getMessage()), e);
        }
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout, java.util.function.Consumer<String> onLine)
            throws IOException, TimeoutException, InterruptedException {
        try {
            return connection.exec(command, stdin, timeout, onLine);
        } catch (IOException e) {
            throw new IOException(prefixed(e.getMessage()), e);
        }
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Deadline limits) throws IOException, TimeoutException, InterruptedException {
        try {
            return connection.exec(command, stdin, limits, null);
        } catch (IOException e) {
            throw new IOException(prefixed(e.getMessage()), e);
        }
    }

    public String sudoPassword() { return connection.settings().sudoPassword(); }

    /** Runs {@code command} as root with sudo; the host's sudo_password, if any, goes to sudo's stdin. */
    @Override
    public ExecResult sudo(String command, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        return sudo(command, Deadline.of(timeout));
    }

    @Override
    public ExecResult sudo(String command, Deadline limits) throws IOException, TimeoutException, InterruptedException {
        String password = connection.settings().sudoPassword();
        ExecResult r = exec(Sudo.wrap(command, password != null), password == null ? null : Sudo.stdin(password), limits);
        Sudo.check(r, name);
        return r;
    }

    /**
     * A local address that reaches {@code remoteHost:remotePort} as the SSH server sees it (so
     * {@code 127.0.0.1:5432} is the server's own PostgreSQL). Opened once per run, closed with it.
     */
    public InetSocketAddress forward(String remoteHost, int remotePort, Duration timeout) throws IOException, TimeoutException, InterruptedException {
        try {
            return connection.forward(remoteHost, remotePort, timeout);
        } catch (IOException e) {
            throw new IOException(prefixed(e.getMessage()), e);
        }
    }

    @Override
    public InetSocketAddress forward(String remoteHost, int remotePort) throws IOException, TimeoutException, InterruptedException {
        return forward(remoteHost, remotePort, connection.settings().connectTimeout());
    }

    /**
     * The speed tricks this host's connection uses ({@link SpeedTrick}): all that apply by default, none
     * with {@link io.triaready.spi.SpeedTricks#OFF} ({@code --no-speed-tricks}).
     */
    public java.util.Set<SpeedTrick> speedTricks() { return connection.speedTricks(); }

    /** The most channels (lanes and exec channels) that were open at once on this host's connection. */
    int peakChannels() { return connection.peakChannels(); }

    int peakHandshakes() { return connection.peakHandshakes(); }

    /** The most commands one lane of this host's connection carried at once. */
    int peakLaneLoad() { return connection.peakLaneLoad(); }

    /** Commands on this host's connection now, running or waiting for a channel. */
    int commandsInProgress() { return connection.commandsInProgress(); }

    private String prefixed(String message) {
        String prefix = "ssh " + label() + ": ";
        return message != null && message.startsWith(prefix) ? message : prefix + message;
    }

    @Override
    public String toString() { return "ssh " + name + " (" + label() + ")"; }
}

package io.triaready.transport.ssh;

import java.time.Duration;

import io.triaready.spi.Session;
import io.triaready.spi.HostTransport;
import io.triaready.spi.HostConnector;
import io.triaready.spi.HostSpec;

/**
 * Transport {@code ssh}: connects to a host with the settings of its inventory entry (see
 * {@code docs/reference/ssh.md}). One {@link org.apache.sshd.client.SshClient} per run and one
 * connection per {@code user@host:port}, both kept in the run's {@link Session} and closed with it.
 */
public final class SshConnector implements HostConnector {
    private final SshSettings.Environment environment;

    public SshConnector() { this(SshSettings.Environment.system()); }

    SshConnector(SshSettings.Environment environment) { this.environment = environment; }

    @Override
    public String transport() { return "ssh"; }

    /**
     * Sets up a MINA client and drops it: that loads and initialises MINA's classes and the JDK's
     * crypto providers, which is what makes the first set-up slow. The client is never started
     * (no threads, no sockets); the run's own one is made when the first SSH host is connected.
     */
    @Override
    public void warmUp() {
        org.apache.sshd.client.SshClient.setUpDefaultClient();
    }

    @Override
    public HostTransport connect(HostSpec host, Session session, Duration timeout) throws Exception {
        return connectSsh(host, session, timeout);
    }

    /** The same as {@link #connect}, typed: for tunnels ({@link SshHost#forward}). */
    public SshHost connectSsh(HostSpec host, Session session, Duration timeout) throws Exception {
        SshSettings settings = SshSettings.resolve(host, environment);
        SshRuntime runtime = session.shared("ssh:client", () -> SshRuntime.start(environment, session.speedTricks()));
        return new SshHost(host.name(), SshConnection.of(settings, runtime, session, timeout));
    }

    /** Every setting an inventory may give an ssh host (for validating inventories). */
    @Override
    public java.util.Set<String> settingNames() { return SshSettings.KEYS; }
}

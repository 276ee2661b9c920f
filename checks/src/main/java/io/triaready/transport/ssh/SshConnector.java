package io.triaready.transport.ssh;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.triaready.base.yaml.ParseContext;
import io.triaready.spi.HostConnector;
import io.triaready.spi.HostSettings;
import io.triaready.spi.HostSpec;
import io.triaready.spi.HostTransport;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;
import io.triaready.transport.pool.ClientKey;

/**
 * Transport {@code ssh}: connects to a host with the settings of its inventory entry (see
 * {@code docs/reference/ssh.md}). One {@link org.apache.sshd.client.SshClient} per run and one
 * connection per {@code user@host:port}, both kept in the run's {@link Session} and closed with it.
 */
public final class SshConnector implements HostConnector {
    private final SshSettings.Environment environment;
    /** The ssh config files read while parsing an inventory's hosts ({@link #parse}: one thread), each once. */
    private final Map<java.nio.file.Path, org.apache.sshd.client.config.hosts.ConfigFileHostEntryResolver> configs = new java.util.HashMap<>();

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

    /**
     * The host's settings, typed and resolved against {@code ~/.ssh/config} when the inventory is read:
     * a mistake is reported at its file:line:column instead of as an ERROR of every check on the host,
     * and the ssh config is read once per host rather than at every connect. A setting that is still a
     * placeholder (validate, another target's secret) is left out of the check, and nothing is kept:
     * the host is then resolved at connect time, as before.
     */
    @Override
    public Object parse(HostSettings settings, ParseContext ctx) {
        Map<String, Object> known = new LinkedHashMap<>();
        boolean complete = true;
        for (Map.Entry<String, Object> e : settings.values().entrySet()) {
            if (settings.isPlaceholder(e.getKey())) complete = false;
            else known.put(e.getKey(), e.getValue());
        }
        try {
            SshSettings parsed;
            synchronized (configs) {
                parsed = SshSettings.resolve(settings.host(), known, environment, configs);
            }
            return complete ? parsed : null;
        } catch (SshSettings.Invalid e) {
            if (!complete && !known.containsKey(e.key) && settings.values().containsKey(e.key)) return null; // the placeholder's own key
            ctx.problem(settings.node(e.key), e.getMessage());
        } catch (ProbeException e) {
            ctx.problem(settings.at(), e.getMessage());
        }
        return null;
    }

    /** The same as {@link #connect}, typed: for tunnels ({@link SshHost#forward}). */
    public SshHost connectSsh(HostSpec host, Session session, Duration timeout) throws Exception {
        SshSettings settings = host.parsed() instanceof SshSettings parsed ? parsed
                // a host built in code, or changed after the inventory was read: resolved once per run
                : session.shared("ssh:settings:" + host.name() + "#" + ClientKey.secret(host.settings().toString()),
                        () -> SshSettings.resolve(host, environment));
        SshRuntime runtime = session.shared("ssh:client", () -> SshRuntime.start(environment, session.speedTricks()));
        return new SshHost(host.name(), SshConnection.of(settings, runtime, session, timeout));
    }

    /** Every setting an inventory may give an ssh host (for validating inventories). */
    @Override
    public java.util.Set<String> settingNames() { return SshSettings.KEYS; }
}

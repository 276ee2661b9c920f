package io.triaready.builtin;

import java.util.List;

import io.triaready.checks.attest.AttestCheckType;
import io.triaready.checks.command.CommandCheckType;
import io.triaready.checks.cron.CronCheckType;
import io.triaready.checks.disk.DiskCheckType;
import io.triaready.checks.envfile.EnvFileCheckType;
import io.triaready.checks.file.FileCheckType;
import io.triaready.checks.http.HttpCheckType;
import io.triaready.checks.memory.MemoryCheckType;
import io.triaready.checks.metrics.MetricsCheckType;
import io.triaready.checks.port.PortCheckType;
import io.triaready.checks.process.ProcessCheckType;
import io.triaready.checks.prometheus.PrometheusCheckType;
import io.triaready.checks.redis.RedisCheckType;
import io.triaready.checks.service.ServiceCheckType;
import io.triaready.checks.sql.SqlCheckType;
import io.triaready.checks.tcp.TcpCheckType;
import io.triaready.checks.tls.TlsCheckType;
import io.triaready.spi.CheckTypes;
import io.triaready.spi.HostConnector;
import io.triaready.spi.HostConnectors;
import io.triaready.transport.local.LocalConnector;
import io.triaready.transport.ssh.SshConnector;

/**
 * The one place that lists what ships: every built-in check type and every transport. Registration
 * is explicit (no classpath scanning, so a native image needs no configuration): a new check type is
 * one package under {@code io.triaready.checks} plus one line here; a new transport is one package
 * under {@code io.triaready.transport} plus one line here. The fix step kinds are listed in
 * {@link io.triaready.core.playbook.FixStep.Kind}. Only the command line and tests depend on this
 * package; nothing below it knows which types exist.
 */
public final class BuiltIns {
    private BuiltIns() {}

    public static CheckTypes checkTypes() {
        return new CheckTypes(List.of(
                new CommandCheckType(),
                new FileCheckType(),
                new AttestCheckType(),
                new HttpCheckType(),
                new TcpCheckType(),
                new SqlCheckType(),
                new RedisCheckType(),
                new MetricsCheckType(),
                new PrometheusCheckType(),
                new TlsCheckType(),
                new ServiceCheckType(),
                new ProcessCheckType(),
                new PortCheckType(),
                new CronCheckType(),
                new EnvFileCheckType(),
                new DiskCheckType(),
                new MemoryCheckType()));
    }

    public static HostConnectors hostConnectors() {
        return new HostConnectors(List.of(new LocalConnector(), new SshConnector()));
    }

    /**
     * Warms every transport up ({@link HostConnector#warmUp}) on a daemon thread, for commands that are
     * about to connect (audit, fix). Why: an SSH connection cannot start before MINA's client is set
     * up, ~0.1 s of class loading and crypto provider initialisation on a cold JVM; done here it
     * overlaps with parsing the command line and reading the inventory instead of following them.
     * Measured behind 25 ms each way: the 40-check suite 0.95 -> 0.90 s (medians of 10, alternating).
     * A run without SSH hosts pays it in CPU on another core only.
     */
    public static void warmUpInBackground() {
        Thread t = new Thread(() -> {
            for (HostConnector c : hostConnectors().all()) {
                try {
                    c.warmUp();
                } catch (RuntimeException | LinkageError ignored) {
                    // only a head start: the real connection reports what is wrong
                }
            }
        }, "tria-warm-up");
        t.setDaemon(true);
        t.start();
    }
}

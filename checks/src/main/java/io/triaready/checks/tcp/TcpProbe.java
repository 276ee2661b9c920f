package io.triaready.checks.tcp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

import io.triaready.base.yaml.Durations;
import io.triaready.checks.support.TargetProbe;
import io.triaready.core.expect.Missing;
import io.triaready.spi.Deadline;
import io.triaready.spi.Facts;
import io.triaready.spi.ProbeContext;

/**
 * Opens (and at once closes) a TCP connection from the auditing machine; nothing is sent. Every
 * address the name resolves to is tried in turn, within one deadline. The name lookup itself uses the
 * system resolver and is not cut short by the timeout.
 */
public record TcpProbe(String host, int port, Duration timeout) implements TargetProbe {
    @Override
    public String describe() { return "tcp " + hostPort(host, port); }

    @Override
    public Facts observe(ProbeContext ctx) {
        Deadline budget = ctx.deadline().narrowedTo(timeout);
        long limitMs = budget.timeout().toMillis();
        long start = System.nanoTime();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return unreachable(start, Missing.INSTANCE, "unknown host '" + host + "'");
        }
        String address = null;
        String why = "no answer within " + Durations.format(budget.label());
        for (InetAddress a : addresses) {
            long left = limitMs - elapsedMs(start);
            if (left <= 0) break;
            address = hostPort(a.getHostAddress(), port, a instanceof Inet6Address);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(a, port), (int) Math.min(Integer.MAX_VALUE, left));
                long ms = elapsedMs(start);
                return Facts.builder()
                        .put("reachable", true)
                        .put("duration_ms", ms)
                        .put("address", address)
                        .note("connected to " + describeTarget(address) + " in " + Durations.format(Duration.ofMillis(ms)))
                        .build();
            } catch (SocketTimeoutException e) {
                why = "no answer within " + Durations.format(budget.label());
            } catch (ConnectException e) {
                String m = String.valueOf(e.getMessage()).toLowerCase();
                why = m.contains("refused") ? "connection refused" : m;
            } catch (NoRouteToHostException e) {
                why = "no route to host";
            } catch (IOException e) {
                why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        }
        return unreachable(start, address == null ? Missing.INSTANCE : address,
                why + " (" + (address == null ? hostPort(host, port) : describeTarget(address)) + ")");
    }

    private Facts unreachable(long start, Object address, String note) {
        return Facts.builder()
                .put("reachable", false)
                .put("duration_ms", elapsedMs(start))
                .put("address", address)
                .note(note)
                .build();
    }

    /** "db:5432 = 10.0.0.5:5432", or just the address when the host was given as one. */
    private String describeTarget(String address) {
        String asGiven = hostPort(host, port);
        return asGiven.equals(address) ? address : asGiven + " = " + address;
    }

    private static long elapsedMs(long startNanos) { return (System.nanoTime() - startNanos) / 1_000_000; }

    private static String hostPort(String host, int port) { return hostPort(host, port, host.indexOf(':') >= 0); }

    private static String hostPort(String host, int port, boolean v6) { return (v6 ? "[" + host + "]" : host) + ":" + port; }
}

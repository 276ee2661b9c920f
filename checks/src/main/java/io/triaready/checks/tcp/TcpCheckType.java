package io.triaready.checks.tcp;

import java.time.Duration;

import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.checks.support.DeclaredCheckType;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Probe;

/**
 * {@code tcp: "db:5432"} or {@code tcp: {host: db, port: 5432, timeout: 2s}}: can the auditing machine
 * open a TCP connection? Facts: reachable (primary), duration_ms (name lookup and connect), address
 * (the resolved ip:port). A refused or unanswered connect, or an unknown host name, is an observation
 * (reachable false, so a FAIL with the reason as a note), not an error. Without {@code expect}: reachable.
 */
public final class TcpCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("reachable", "reachable", "duration_ms", "address").withDefault("reachable: true");

    public TcpCheckType() { super("tcp", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        if (missing(spec, ctx, "host:port, e.g. tcp: \"db:5432\"")) return null;
        if (spec.isScalar()) return shortForm(spec, ctx);
        Fields f = fields(spec, ctx);
        if (!f.isValid()) return null;
        String host = f.requiredString("host");
        boolean ok = host == null || checkHost(host, f.node("host"), ctx);
        Long port = null;
        if (!f.has("port")) {
            f.missing("port");
        } else {
            port = f.integer("port").orElse(null);
            if (port != null && (port < 1 || port > 65535)) {
                ctx.problem(f.node("port"), "port " + port + " is out of range (1-65535)");
                ok = false;
            }
        }
        Duration timeout = f.duration("timeout").orElse(null);
        if (timeout != null && timeout.isZero()) {
            ctx.problem(f.node("timeout"), "'timeout' must be more than 0");
            ok = false;
        }
        f.finish();
        if (!ok || host == null || port == null) return null;
        return new TcpProbe(host.trim(), port.intValue(), timeout);
    }

    /** {@code host:port}, {@code [v6-address]:port}. */
    private Probe shortForm(YNode spec, ParseContext ctx) {
        String text = scalar(spec, ctx);
        if (text == null) return null;
        String t = text.trim();
        if (t.contains("://")) {
            ctx.problem(spec, "'tcp' takes host:port, not a URL (for a URL, use an http check)");
            return null;
        }
        int colon = t.lastIndexOf(':');
        String host = colon < 0 ? t : t.substring(0, colon);
        if (colon < 0 || (host.indexOf(':') >= 0 && !host.startsWith("["))) {
            ctx.problem(spec, "'tcp' takes host:port, e.g. \"db:5432\" or \"[::1]:5432\", got '" + t + "'");
            return null;
        }
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        String portText = t.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            ctx.problem(spec, "port '" + portText + "' in 'tcp' is not a number");
            return null;
        }
        if (port < 1 || port > 65535) {
            ctx.problem(spec, "port " + port + " is out of range (1-65535)");
            return null;
        }
        return checkHost(host, spec, ctx) ? new TcpProbe(host, port, null) : null;
    }

    private boolean checkHost(String host, YNode at, ParseContext ctx) {
        String h = host.trim();
        if (h.isEmpty()) {
            needs(at, ctx, "a host name or address");
            return false;
        }
        if (h.contains("://") || h.contains("/") || h.chars().anyMatch(Character::isWhitespace)) {
            ctx.problem(at, "'" + h + "' is not a host name or address");
            return false;
        }
        return true;
    }
}

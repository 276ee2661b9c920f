package io.triaready.checks.port;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.checks.support.DeclaredCheckType;
import io.triaready.checks.support.HostProbe;
import io.triaready.spi.ExecResult;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Facts;
import io.triaready.spi.HostCommands;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;

/**
 * {@code port: 8088} or {@code port: {port: 8088, address: 127.0.0.1, protocol: tcp}}: whether something
 * listens on the port on every host, seen from the host itself ({@code ss -ltn}, or /proc/net/tcp where
 * ss is missing). Facts: listening (primary) and addresses (the local addresses listening on that port,
 * e.g. 127.0.0.1, 0.0.0.0, ::). With {@code address}, only a socket on that address or on a wildcard
 * address (0.0.0.0, ::, *) counts. Without {@code expect}, the port must be listening.
 */
public final class PortCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("listening", "listening", "addresses").withDefault("listening: true");

    public PortCheckType() { super("port", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        Long port;
        String address = null;
        String protocol = "tcp";
        if (spec.isScalar()) {
            String t = scalar(spec, ctx);
            if (t == null) return null;
            try {
                port = Long.parseLong(t.trim());
            } catch (NumberFormatException e) {
                ctx.problem(spec, "'port' must be a port number, got '" + t + "'");
                return null;
            }
        } else {
            Fields f = fields(spec, ctx);
            port = f.integer("port").orElse(null);
            if (port == null && f.isValid() && !f.has("port")) f.missing("port");
            address = f.string("address").orElse(null);
            if (address != null && !address.isBlank() && !address.trim().matches("\\*|[0-9.]+|\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%a-z]*\\]?")) {
                ctx.problem(f.node("address"), "'address' must be an IP address as sockets are bound to (127.0.0.1, 0.0.0.0, ::1), got '"
                        + address + "'");
                address = null;
            }
            protocol = f.string("protocol", "tcp").trim().toLowerCase();
            if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                ctx.problem(f.node("protocol"), "'protocol' must be tcp or udp, got '" + protocol + "'");
                protocol = "tcp";
            }
            f.finish();
            if (port == null) return null;
        }
        if (port < 1 || port > 65535) {
            ctx.problem(spec, "'port' must be between 1 and 65535, got " + port);
            return null;
        }
        return new PortProbe(port.intValue(), address == null || address.isBlank() ? null : normalize(address.trim()), protocol);
    }

    public record PortProbe(int port, String address, String protocol) implements HostProbe {
        @Override
        public String describe() {
            return protocol + " port " + (address == null ? "" : (address.contains(":") ? "[" + address + "]" : address) + ":") + port;
        }

        String script() {
            String ss = protocol.equals("tcp") ? "ss -ltn" : "ss -lun";
            String proc = protocol.equals("tcp") ? "/proc/net/tcp /proc/net/tcp6" : "/proc/net/udp /proc/net/udp6";
            return "if command -v ss >/dev/null 2>&1; then echo " + HostCommands.MARK + "ss; " + ss + "; else echo " + HostCommands.MARK
                    + "proc; cat " + proc + " 2>/dev/null; fi";
        }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            String host = ctx.host().name();
            ExecResult r = HostCommands.run(ctx, script(), "listing sockets");
            String out = r.stdout();
            List<Socket> sockets;
            if (out.startsWith(HostCommands.MARK + "ss")) {
                if (r.exitCode() != 0) throw new ProbeException("ss on " + host + " failed: " + HostCommands.why(r));
                sockets = parseSs(out);
            } else if (out.startsWith(HostCommands.MARK + "proc")) {
                sockets = parseProc(out, protocol);
                if (sockets.isEmpty() && out.lines().count() <= 1) {
                    throw new ProbeException("cannot list listening sockets on " + host + " (neither ss nor /proc/net/" + protocol + ")");
                }
            } else {
                throw new ProbeException("listing sockets on " + host + " failed: " + HostCommands.why(r));
            }
            Set<String> addresses = new LinkedHashSet<>();
            for (Socket s : sockets) {
                if (s.port() == port) addresses.add(s.address());
            }
            boolean listening = address == null ? !addresses.isEmpty() : addresses.stream().anyMatch(a -> covers(a, address));
            return Facts.builder()
                    .put("listening", listening)
                    .put("addresses", List.copyOf(addresses))
                    .note(addresses.isEmpty() ? "nothing listens on " + protocol + " port " + port
                            : protocol + " port " + port + " listening on " + String.join(", ", addresses))
                    .build();
        }
    }

    /** One listening socket: its local address (normalized, no brackets, no %interface) and port. */
    record Socket(String address, int port) {}

    /** {@code ss -ltn} / {@code ss -lun} output: the 4th column is Local-Address:Port. */
    static List<Socket> parseSs(String out) {
        List<Socket> sockets = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith(HostCommands.MARK) || line.startsWith("State") || line.startsWith("Netid") || line.isBlank()) continue;
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) continue;
            String local = f[3];
            int colon = local.lastIndexOf(':');
            if (colon < 0) continue;
            String portText = local.substring(colon + 1);
            if (!portText.matches("\\d+")) continue;
            sockets.add(new Socket(normalize(local.substring(0, colon)), Integer.parseInt(portText)));
        }
        return sockets;
    }

    /**
     * /proc/net/tcp{,6} or udp{,6}: {@code local_address} is hex {@code ADDR:PORT} with the address in the
     * kernel's byte order (little-endian 32-bit words); state 0A is LISTEN for TCP, 07 an unconnected UDP socket.
     */
    static List<Socket> parseProc(String out, String protocol) {
        String wanted = protocol.equals("tcp") ? "0A" : "07";
        List<Socket> sockets = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[0].endsWith(":") || !f[3].equalsIgnoreCase(wanted)) continue;
            String[] local = f[1].split(":");
            if (local.length != 2) continue;
            try {
                sockets.add(new Socket(procAddress(local[0]), Integer.parseInt(local[1], 16)));
            } catch (IllegalArgumentException | UnknownHostException ignored) {
                // not a socket line
            }
        }
        return sockets;
    }

    private static String procAddress(String hex) throws UnknownHostException {
        if (hex.length() != 8 && hex.length() != 32) throw new IllegalArgumentException(hex);
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + i * 2;
                bytes[word * 4 + (3 - i)] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return normalize(InetAddress.getByAddress(bytes).getHostAddress());
    }

    /** {@code [::1]} as {@code ::1}, {@code 127.0.0.53%lo} as {@code 127.0.0.53}, IPv6 in its shortest form, IPv4-mapped as IPv4. */
    static String normalize(String address) {
        String a = address;
        if (a.startsWith("[") && a.endsWith("]")) a = a.substring(1, a.length() - 1);
        int pct = a.indexOf('%');
        if (pct >= 0) a = a.substring(0, pct);
        if (a.equals("*") || !a.contains(":")) return a;
        if (!a.matches("[0-9A-Fa-f:.]+")) return a;
        try {
            InetAddress ia = InetAddress.getByName(a);
            if (ia instanceof java.net.Inet4Address) return ia.getHostAddress(); // ::ffff:1.2.3.4
            return compress(ia.getHostAddress());
        } catch (UnknownHostException e) {
            return a;
        }
    }

    /** 0:0:0:0:0:0:0:1 as ::1 (the longest run of zero groups becomes ::). */
    private static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) j++;
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) return full;
        String left = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String right = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return left + "::" + right;
    }

    /** Whether a socket bound to {@code bound} accepts connections to {@code wanted}. */
    static boolean covers(String bound, String wanted) {
        if (bound.equals(wanted) || bound.equals("*")) return true;
        boolean wantedV6 = wanted.contains(":");
        if (bound.equals("0.0.0.0")) return !wantedV6;
        if (bound.equals("::")) return true; // Linux's default: an IPv6 wildcard socket takes IPv4 too
        return false;
    }
}

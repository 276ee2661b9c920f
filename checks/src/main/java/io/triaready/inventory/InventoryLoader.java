package io.triaready.inventory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Durations;
import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.PlaybookException;
import io.triaready.base.yaml.Problem;
import io.triaready.base.yaml.Problems;
import io.triaready.base.yaml.Suggest;
import io.triaready.base.yaml.YNode;
import io.triaready.spi.HostConnectors;
import io.triaready.spi.HostSettings;
import io.triaready.spi.HostSpec;
import io.triaready.spi.Target;

/**
 * Reads a targets file (the inventory): named environments, each with its hosts and endpoints.
 * <pre>
 * targets:
 *   prod:
 *     ssh: {host: 13.214.14.130, user: ubuntu, identity: ~/.ssh/tria.pem}   # one host, or defaults for hosts:
 *     hosts: [web-1, {name: web-2, host: 10.0.0.2, port: 2222}]
 *     http: {base_url: "https://tria.example.com"}
 *     postgres: {url: "jdbc:postgresql://127.0.0.1:5432/tria", user: tria, password: "${env:TRIA_PG_PASSWORD}", tunnel: ssh}
 *     redis: {url: "redis://127.0.0.1:6379", tunnel: ssh}
 *     endpoints: {analytics_db: {url: ...}}     # more, by any name
 *     vars: {service: tria-aibpo}
 * </pre>
 * Only {@code ${env:...}} and {@code ${file:...}} are expanded here (their values are secrets).
 * The target {@code local} is built in; an inventory may give it endpoints and vars.
 */
public final class InventoryLoader {
    static final Set<String> TARGET_KEYS = Set.of("description", "ssh", "hosts", "http", "postgres", "redis", "prometheus", "endpoints", "vars");
    static final Set<String> ENDPOINT_KINDS = Set.of("http", "postgres", "redis", "prometheus");

    /** An inventory is a page of hosts, not megabytes. */
    static final long MAX_FILE_BYTES = 2L * 1024 * 1024;

    private InventoryLoader() {}

    public static Inventory load(HostConnectors transports, Path path, Interpolator.External external, Function<String, String> env, Secrets secrets) {
        return load(transports, path, external, env, secrets, null);
    }

    /**
     * Like {@link #load(HostConnectors, Path, Interpolator.External, Function, Secrets)}, resolving {@code ${env:...}} and
     * {@code ${file:...}} only in the target named {@code only} (null: all): a secret that one target
     * needs must not stop audits of the others. Each host's settings are parsed by its transport
     * ({@code transports}: {@link io.triaready.spi.HostConnector#parse}), so that a mistake has a position.
     */
    public static Inventory load(HostConnectors transports, Path path, Interpolator.External external, Function<String, String> env, Secrets secrets, String only) {
        if (!Files.exists(path)) throw new PlaybookException(new Problem(path.toString(), 0, 0, "no such inventory file"));
        return parse(transports, YNode.parseFile(path, MAX_FILE_BYTES), external, env, secrets, only);
    }

    public static Inventory parse(HostConnectors transports, YNode root, Interpolator.External external, Function<String, String> env, Secrets secrets) {
        return parse(transports, root, external, env, secrets, null);
    }

    public static Inventory parse(HostConnectors transports, YNode root, Interpolator.External external, Function<String, String> env, Secrets secrets, String only) {
        Problems problems = new Problems();
        ParseContext ctx = new ParseContext(problems, new Interpolator(Map.of(), secrets, external, env, "inventory"));
        // the other targets are still checked, with secrets left as placeholders
        ParseContext others = new ParseContext(problems, new Interpolator(Map.of(), new Secrets(), Interpolator.External.PLACEHOLDER, k -> null, "inventory"));
        Fields top = Fields.of(root, ctx, "the inventory");
        Map<String, Target> targets = new LinkedHashMap<>();
        YNode targetsNode = top.node("targets");
        if (targetsNode == null && top.isValid()) {
            top.missing("targets");
        } else if (targetsNode != null) {
            Fields tf = Fields.of(targetsNode, ctx, "'targets'");
            Set<String> sshKeys = transports.settingNames("ssh"); // once per file, not per target
            for (String name : tf.presentKeys()) {
                Target t = parseTarget(name, tf.node(name), only == null || only.equals(name) ? ctx : others, sshKeys, transports);
                if (t != null) targets.put(name, t);
            }
        }
        top.finish();
        problems.throwIfAny();
        return new Inventory(root.file(), targets);
    }

    private static Target parseTarget(String name, YNode node, ParseContext ctx, Set<String> sshKeys, HostConnectors transports) {
        Fields f = Fields.of(node, ctx, "target '" + name + "'");
        if (!f.isValid() && !(node != null && node.isNull())) return null;
        f.string("description");
        Map<String, Object> sshDefaults = new LinkedHashMap<>();
        Map<String, YNode> sshNodes = new LinkedHashMap<>(); // where each setting was written, for the transport's problems
        YNode ssh = f.node("ssh");
        int beforeSsh = ctx.problems().size();
        if (ssh != null) checkKeys(ssh, sshKeys, Set.of(), "'ssh'", ctx);
        if (ssh != null) {
            Object plain = settings(ssh, ctx, "'ssh'");
            if (plain instanceof Map<?, ?> m) m.forEach((k, v) -> sshDefaults.put(String.valueOf(k), v));
            if (plain instanceof Map<?, ?>) sshNodes.putAll(ssh.map());
            else ctx.problem(ssh, "'ssh' must be a mapping such as {host: 10.0.0.5, user: ubuntu}, got " + ssh.describe());
        }
        boolean sshClean = ctx.problems().size() == beforeSsh; // else the transport would say the same again
        List<HostSpec> hosts = new ArrayList<>();
        YNode hostsNode = f.node("hosts");
        if (hostsNode != null) {
            if (!hostsNode.isSeq()) {
                ctx.problem(hostsNode, "'hosts' must be a list of host names or mappings, got " + hostsNode.describe());
            } else {
                Set<String> seen = new java.util.HashSet<>();
                for (YNode h : hostsNode.items()) {
                    int before = ctx.problems().size();
                    Map<String, Object> settings = new LinkedHashMap<>(sshDefaults);
                    Map<String, YNode> nodes = new LinkedHashMap<>(sshNodes);
                    String hostName;
                    if (h.isScalar()) {
                        hostName = ctx.string(h, "a host");
                        settings.put("host", hostName);
                        nodes.put("host", h);
                    } else if (h.isMap()) {
                        checkKeys(h, sshKeys, Set.of("name"), "a host", ctx);
                        Object plain = settings(h, ctx, "a host");
                        ((Map<?, ?>) plain).forEach((k, v) -> settings.put(String.valueOf(k), v));
                        nodes.putAll(h.map());
                        Object n = settings.remove("name");
                        hostName = n != null ? String.valueOf(n) : settings.get("host") == null ? null : String.valueOf(settings.get("host"));
                        if (hostName == null) ctx.problem(h, "a host needs 'host' (its address or ssh alias) or 'name'");
                    } else {
                        ctx.problem(h, "a host must be a name or a mapping, got " + h.describe());
                        continue;
                    }
                    if (hostName == null) continue;
                    if (!seen.add(hostName)) ctx.problem(h, "duplicate host '" + hostName + "' in target '" + name + "'");
                    if (!settings.containsKey("host")) settings.put("host", hostName);
                    hosts.add(host(hostName, settings, nodes, h, sshClean && ctx.problems().size() == before, transports, ctx));
                }
            }
        } else if (ssh != null && ssh.isMap()) {
            Object host = sshDefaults.get("host");
            if (host == null) ctx.problem(ssh, "'ssh' needs 'host' (an address or an alias from ~/.ssh/config)");
            else hosts.add(host(String.valueOf(sshDefaults.getOrDefault("name", host)), sshDefaults, sshNodes, ssh, sshClean, transports, ctx));
        } else if (name.equals("local")) {
            hosts.add(HostSpec.LOCAL);
        }
        Map<String, Map<String, Object>> endpoints = new LinkedHashMap<>();
        for (String kind : ENDPOINT_KINDS) {
            YNode e = f.node(kind);
            if (e != null) endpoint(kind, e, ctx, endpoints, hosts);
        }
        YNode more = f.node("endpoints");
        if (more != null) {
            Fields ef = Fields.of(more, ctx, "'endpoints'");
            for (String en : ef.presentKeys()) {
                if (ENDPOINT_KINDS.contains(en) || en.equals("target")) {
                    ctx.problem(ef.keyNode(en), "endpoint name '" + en + "' is reserved: write it at the target's top level");
                    ef.node(en);
                    continue;
                }
                endpoint(en, ef.node(en), ctx, endpoints, hosts);
            }
        }
        Map<String, String> vars = new LinkedHashMap<>();
        YNode varsNode = f.node("vars");
        if (varsNode != null) {
            Fields vf = Fields.of(varsNode, ctx, "'vars' of target '" + name + "'");
            for (String k : vf.presentKeys()) {
                YNode v = vf.node(k);
                if (!v.isScalar()) ctx.problem(v, "variable '" + k + "' must be a string or number, got " + v.describe());
                else vars.put(k, v.isNull() ? "" : ctx.string(v, "'" + k + "'"));
            }
        }
        for (String k : f.presentKeys()) {
            if (!TARGET_KEYS.contains(k)) {
                ctx.problem(f.keyNode(k), "unknown key '" + k + "' in target '" + name + "'" + Suggest.didYouMean(k, TARGET_KEYS)
                        + " (endpoints with other names go under 'endpoints:')");
            }
        }
        return new Target(name, hosts, endpoints, vars);
    }

    /** SSH settings are read by the transport at run time; a misspelt one is caught here, with its position. */
    private static void checkKeys(YNode map, Set<String> known, Set<String> extra, String what, ParseContext ctx) {
        if (known.isEmpty() || !map.isMap()) return;
        java.util.Set<String> all = new java.util.TreeSet<>(known);
        all.addAll(extra);
        for (Map.Entry<YNode, YNode> e : map.entries()) {
            String k = e.getKey().isScalar() ? e.getKey().text() : null;
            if (k != null && !all.contains(k)) ctx.problem(e.getKey(), "unknown key '" + k + "' in " + what + Suggest.didYouMean(k, all));
        }
    }

    /**
     * A mapping of settings as plain data, without the keys written with no value ({@code user: }),
     * each reported at its position: a setting is a value or is left out, never null.
     */
    private static Object settings(YNode node, ParseContext ctx, String what) {
        checkNumbers(node, ctx);
        Object plain = ctx.plain(node);
        if (plain instanceof Map<?, ?> m && node.isMap()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<YNode, YNode> e : node.entries()) {
                if (e.getValue().isNull()) {
                    ctx.problem(e.getValue(), "'" + e.getKey().text() + "' in " + what + " has no value: give it one or leave the key out");
                }
            }
            m.forEach((k, v) -> {
                if (v != null) out.put(String.valueOf(k), v);
            });
            return out;
        }
        return plain;
    }

    /** Whole-number settings and their ranges, checked here so that a mistake has a position (the transport checks again). */
    private static final Map<String, long[]> WHOLE = Map.of("port", new long[] {1, 65535}, "max_channels", new long[] {1, 1000},
            "db", new long[] {0, 1_000_000});
    private static final Set<String> WAITS = Set.of("connect_timeout", "keepalive", "timeout");

    /** Ports, counts and waits in a settings mapping, and the port of a literal {@code url}. */
    private static void checkNumbers(YNode node, ParseContext ctx) {
        if (!node.isMap()) return;
        for (Map.Entry<YNode, YNode> e : node.entries()) {
            String k = e.getKey().text();
            YNode v = e.getValue();
            if (!v.isScalar() || v.isNull() || (v.text() != null && v.text().contains("${"))) continue;
            if (WHOLE.containsKey(k)) {
                long[] range = WHOLE.get(k);
                Object n = v.scalar();
                if (n instanceof String s && s.trim().matches("[-+]?\\d{1,18}")) n = Long.parseLong(s.trim()); // "22" is read as 22 too
                if (!(n instanceof Long l) || l < range[0] || l > range[1]) {
                    ctx.problem(v, "'" + k + "' must be a whole number from " + range[0] + " to " + range[1] + ", got " + v.text());
                }
            } else if (WAITS.contains(k)) {
                try {
                    java.time.Duration d = Durations.parse(v.text());
                    // keepalive 0 disables keepalives; a timeout of 0 could never connect
                    if ((d.isZero() && !k.equals("keepalive")) || d.compareTo(Fields.MAX_WAIT) > 0) {
                        ctx.problem(v, "'" + k + "' must be " + (k.equals("keepalive") ? "" : "more than 0 and ") + "at most " + Durations.format(Fields.MAX_WAIT) + ", got " + v.text());
                    }
                } catch (IllegalArgumentException ex) {
                    ctx.problem(v, "'" + k + "': " + ex.getMessage());
                }
            } else if ((k.equals("url") || k.equals("base_url")) && v.text().contains("://")) {
                try {
                    java.net.URI u = new java.net.URI(v.text().trim());
                    if (u.getPort() > 65535) ctx.problem(v, "the port of '" + k + "' must be from 1 to 65535, got " + u.getPort());
                } catch (java.net.URISyntaxException ex) {
                    // the endpoint's own reader says what is wrong with it
                }
            }
        }
    }

    /** One SSH host, its settings parsed by the transport when they are free of problems already reported. */
    private static HostSpec host(String name, Map<String, Object> settings, Map<String, YNode> nodes, YNode at, boolean clean,
                                 HostConnectors transports, ParseContext ctx) {
        Object parsed = clean ? transports.parse("ssh", new HostSettings(name, settings, nodes, at), ctx) : null;
        return new HostSpec(name, "ssh", settings, parsed);
    }

    private static void endpoint(String name, YNode node, ParseContext ctx, Map<String, Map<String, Object>> endpoints, List<HostSpec> hosts) {
        int before = ctx.problems().size();
        Object plain = settings(node, ctx, "endpoint '" + name + "'");
        if (!(plain instanceof Map<?, ?> m)) {
            ctx.problem(node, "endpoint '" + name + "' must be a mapping such as {url: ...}, got " + node.describe());
            return;
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        m.forEach((k, v) -> settings.put(String.valueOf(k), v));
        if (ctx.problems().size() == before) {
            EndpointSettings.check(name, node, settings, hosts.stream().anyMatch(h -> h.transport().equals("ssh")), ctx);
        }
        endpoints.put(name, settings);
    }

    /** The targets of one file. */
    public record Inventory(String file, Map<String, Target> targets) {
        /** The named target; {@code local} exists even when the file does not define it. */
        public java.util.Optional<Target> target(String name) {
            Target t = targets.get(name);
            if (t == null && name.equals("local")) return java.util.Optional.of(Target.local());
            return java.util.Optional.ofNullable(t);
        }
    }
}

package io.triaready.transport.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.triaready.base.os.UserHome;
import io.triaready.base.yaml.Durations;
import io.triaready.spi.HostSpec;
import io.triaready.spi.ProbeException;
import io.triaready.transport.pool.ClientKey;
import org.apache.sshd.client.config.hosts.ConfigFileHostEntryResolver;
import org.apache.sshd.client.config.hosts.HostConfigEntry;

/**
 * One SSH host's settings after reading the inventory and then {@code ~/.ssh/config}: the inventory
 * wins, the ssh config fills the gaps (HostName, User, Port, IdentityFile, ProxyJump, IdentitiesOnly,
 * UserKnownHostsFile, IdentityAgent), defaults fill the rest, as OpenSSH does.
 *
 * @param alias        the host as written in the inventory (an ssh config alias, a name or an IP)
 * @param hostName     where to connect (HostName from the ssh config, else {@code alias})
 * @param identities   key files to offer, in order; {@code explicitIdentities} when the user named them
 *                     (inventory or IdentityFile), so a missing one is an error rather than skipped
 * @param agent        the ssh-agent socket, or null for none
 * @param via          the jump host to tunnel through (the last hop of ProxyJump), or null
 * @param shellLanes   run commands through {@link ShellLane}s ({@code exec: shell}, opt-in) rather
 *                     than a channel each ({@code exec: channel})
 */
record SshSettings(String alias, String hostName, int port, String user, List<Path> identities, boolean explicitIdentities,
                   Path agent, Path knownHosts, boolean acceptNewHostKeys, SshSettings via, Duration connectTimeout,
                   Duration keepalive, int maxChannels, String passphrase, String sudoPassword, boolean shellLanes) {

    /** Every key an inventory may set under {@code ssh:}; the inventory loader can use it to catch typos. */
    public static final Set<String> KEYS = Set.of("host", "port", "user", "identity", "passphrase", "known_hosts",
            "accept_new_host_keys", "ssh_config", "proxy_jump", "connect_timeout", "keepalive", "max_channels",
            "sudo_password", "agent", "exec");

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(15);
    /** Below OpenSSH's default MaxSessions (10), leaving room for a human's session on the same connection count. */
    static final int DEFAULT_MAX_CHANNELS = 8;
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    /** {@code user@host:port}: how the host is named in every error. */
    String label() { return user + "@" + hostName + ":" + port; }

    /**
     * The key under which the run shares this host's connection: everything that authenticates it or
     * changes what runs on it (address, user, keys, passphrase, agent, known_hosts, the jump hosts,
     * timeouts, max_channels, the sudo password, exec), so two hosts share a connection only when
     * either could have opened it; a wrong key never rides on a right one. The settings go in as one
     * {@link io.triaready.transport.pool.ClientKey#secret} token, as for every other pooled connection: the key
     * may be logged and says nothing of the passphrase or sudo password, and no digest is computed on
     * the way to the first connect.
     */
    String connectionKey() {
        return "ssh:" + label() + "#" + ClientKey.secret(fingerprint());
    }

    /** Every setting but the alias (two names for one server with the same settings share), one field a line. */
    private String fingerprint() {
        return String.join("\n", hostName, String.valueOf(port), user, identities.toString(), String.valueOf(explicitIdentities),
                String.valueOf(agent), String.valueOf(knownHosts), String.valueOf(acceptNewHostKeys),
                via == null ? "-" : via.fingerprint(), String.valueOf(connectTimeout), String.valueOf(keepalive),
                String.valueOf(maxChannels), String.valueOf(passphrase), String.valueOf(sudoPassword), String.valueOf(shellLanes));
    }

    /** {@code [host]:port} as known_hosts writes it, or the bare host for port 22. */
    String knownHostsName() { return port == 22 ? hostName : "[" + hostName + "]:" + port; }

    @Override
    public String toString() { return "ssh " + label(); } // never the passphrase or sudo password

    /** Where to find files and the agent; tests and the CLI pass the real ones. */
    record Environment(Path home, String localUser, Function<String, String> env) {
        static Environment system() {
            return new Environment(UserHome.get(), System.getProperty("user.name"), System::getenv);
        }
    }

    static SshSettings resolve(HostSpec spec, Environment environment) throws ProbeException {
        return resolve(spec.name(), spec.settings(), environment);
    }

    static SshSettings resolve(String name, Map<String, Object> s, Environment environment) throws ProbeException {
        return resolve(name, s, environment, new java.util.HashMap<>());
    }

    /**
     * {@code configs}: the ssh config files already read, by path, so that resolving every host of an
     * inventory reads {@code ~/.ssh/config} once (MINA's resolver reads it again only if it changed).
     * Not thread-safe: one caller at a time (the inventory loader).
     */
    static SshSettings resolve(String name, Map<String, Object> s, Environment environment,
                               Map<Path, ConfigFileHostEntryResolver> configs) throws ProbeException {
        Reader r = new Reader(name, s, environment.home());
        String alias = r.string("host");
        if (alias == null) alias = name;
        if (alias == null || alias.isBlank()) throw new Invalid("host", "ssh host " + name + ": 'host' is missing");
        Integer port = r.integer("port", 1, 65535);
        String user = r.string("user");

        HostConfigEntry entry = null;
        String configSetting = r.string("ssh_config");
        if (!"none".equals(configSetting)) {
            Path config = configSetting == null ? environment.home().resolve(".ssh/config") : r.path(configSetting);
            if (Files.isRegularFile(config)) {
                try {
                    entry = configs.computeIfAbsent(config, ConfigFileHostEntryResolver::new)
                            .resolveEffectiveHost(alias, port == null ? 0 : port, null, user, null, null);
                } catch (IOException | RuntimeException e) {
                    throw new Invalid("ssh_config", "ssh host " + name + ": cannot read ssh config " + config + ": " + oneLine(e));
                }
            } else if (configSetting != null) {
                throw new Invalid("ssh_config", "ssh host " + name + ": ssh_config " + config + " does not exist (use ssh_config: none to ignore it)");
            }
        }

        String hostName = entry != null && notBlank(entry.getHostName()) ? entry.getHostName() : alias;
        int effectivePort = port != null ? port : entry != null && entry.getPort() > 0 ? entry.getPort() : 22;
        String effectiveUser = notBlank(user) ? user : entry != null && notBlank(entry.getUsername()) ? entry.getUsername() : environment.localUser();

        List<Path> identities = new ArrayList<>();
        boolean explicit = true;
        if (s.get("identity") != null) {
            for (String p : r.stringList("identity")) identities.add(r.path(p));
        } else if (entry != null && entry.getIdentities() != null && !entry.getIdentities().isEmpty()) {
            for (String p : entry.getIdentities()) identities.add(r.path(p));
        } else {
            explicit = false;
            for (String k : DEFAULT_KEYS) identities.add(environment.home().resolve(".ssh").resolve(k));
        }

        boolean identitiesOnly = entry != null && entry.isIdentitiesOnly();
        String agentSetting = r.string("agent");
        if (agentSetting == null && entry != null) agentSetting = property(entry, "IdentityAgent");
        if (agentSetting == null && !identitiesOnly) agentSetting = environment.env().apply("SSH_AUTH_SOCK");
        if (agentSetting != null && agentSetting.startsWith("$")) agentSetting = environment.env().apply(agentSetting.substring(1));
        Path agent = agentSetting == null || agentSetting.isBlank() || agentSetting.equalsIgnoreCase("none") ? null : r.path(agentSetting);

        String knownHostsSetting = r.string("known_hosts");
        if (knownHostsSetting == null && entry != null) {
            String k = property(entry, "UserKnownHostsFile");
            if (k != null) knownHostsSetting = k.trim().split("[\\s,]+")[0];
        }
        Path knownHosts = knownHostsSetting == null ? environment.home().resolve(".ssh/known_hosts") : r.path(knownHostsSetting);

        Duration connectTimeout = r.duration("connect_timeout", DEFAULT_CONNECT_TIMEOUT);
        if (connectTimeout.isZero()) throw new Invalid("connect_timeout", "ssh host " + name + ": 'connect_timeout' must be more than 0");
        Duration keepalive = r.duration("keepalive", DEFAULT_KEEPALIVE);
        Integer maxChannels = r.integer("max_channels", 1, 1000);
        boolean acceptNew = r.bool("accept_new_host_keys", false);
        String passphrase = r.raw("passphrase");
        String sudoPassword = r.raw("sudo_password");
        String exec = r.string("exec");
        if (exec != null && !exec.equals("shell") && !exec.equals("channel")) throw r.bad("exec", "must be shell or channel, got '" + exec + "'");

        String jump = r.string("proxy_jump");
        if (jump == null && entry != null) jump = entry.getProxyJump();
        SshSettings via = null;
        if (jump != null && !jump.isBlank() && !jump.equalsIgnoreCase("none")) {
            // OpenSSH semantics: "a,b" reaches a directly, b through a, and the target through b.
            for (String hop : jump.split(",")) {
                via = hop(name, hop.trim(), via, s, identities, explicit, environment, configs);
            }
        }
        return new SshSettings(alias, hostName, effectivePort, effectiveUser, List.copyOf(identities), explicit, agent,
                knownHosts, acceptNew, via, connectTimeout, keepalive, maxChannels == null ? DEFAULT_MAX_CHANNELS : maxChannels,
                passphrase, sudoPassword, "shell".equals(exec));
    }

    /**
     * One ProxyJump hop, {@code [user@]host[:port]}, resolved through the same ssh config (so a bastion
     * alias works) with the target's known_hosts, agent and timeouts. Without an IdentityFile of its own
     * it offers the target's keys: a bastion usually takes the same key.
     */
    private static SshSettings hop(String name, String spec, SshSettings previous, Map<String, Object> target,
                                   List<Path> targetIdentities, boolean targetExplicit, Environment environment,
                                   Map<Path, ConfigFileHostEntryResolver> configs) throws ProbeException {
        if (spec.isEmpty()) throw new Invalid("proxy_jump", "ssh host " + name + ": empty hop in proxy_jump");
        String user = null;
        String hostPort = spec;
        int at = spec.lastIndexOf('@');
        if (at >= 0) {
            user = spec.substring(0, at);
            hostPort = spec.substring(at + 1);
        }
        String host = hostPort;
        Integer port = null;
        if (hostPort.startsWith("[") && hostPort.contains("]")) {
            host = hostPort.substring(1, hostPort.indexOf(']'));
            String rest = hostPort.substring(hostPort.indexOf(']') + 1);
            if (rest.startsWith(":")) port = parsePort(name, rest.substring(1));
        } else if (hostPort.indexOf(':') >= 0 && hostPort.indexOf(':') == hostPort.lastIndexOf(':')) {
            host = hostPort.substring(0, hostPort.indexOf(':'));
            port = parsePort(name, hostPort.substring(hostPort.indexOf(':') + 1));
        }
        Map<String, Object> hop = new java.util.HashMap<>();
        for (String k : List.of("known_hosts", "accept_new_host_keys", "ssh_config", "connect_timeout", "keepalive", "passphrase", "agent")) {
            if (target.get(k) != null) hop.put(k, target.get(k));
        }
        hop.put("host", host);
        if (port != null) hop.put("port", port);
        if (user != null) hop.put("user", user);
        hop.put("proxy_jump", "none");
        SshSettings resolved = resolve(name + " (jump " + spec + ")", hop, environment, configs);
        List<Path> ids = resolved.explicitIdentities() ? resolved.identities() : targetIdentities;
        return new SshSettings(resolved.alias(), resolved.hostName(), resolved.port(), resolved.user(), ids,
                resolved.explicitIdentities() || targetExplicit, resolved.agent(), resolved.knownHosts(),
                resolved.acceptNewHostKeys(), previous, resolved.connectTimeout(), resolved.keepalive(),
                DEFAULT_MAX_CHANNELS, resolved.passphrase(), null, false);
    }

    private static int parsePort(String name, String text) throws ProbeException {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) return p;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Invalid("proxy_jump", "ssh host " + name + ": invalid port '" + text + "' in proxy_jump");
    }

    /** A setting that cannot be used, naming the key it was written under (so the inventory loader can point at it). */
    static final class Invalid extends ProbeException {
        private static final long serialVersionUID = 1L;
        final String key;

        Invalid(String key, String message) {
            super(message);
            this.key = key;
        }
    }

    private static String property(HostConfigEntry entry, String key) {
        Map<String, String> props = entry.getProperties();
        if (props == null) return null;
        for (Map.Entry<String, String> e : props.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key) && notBlank(e.getValue())) return e.getValue();
        }
        return null;
    }

    private static boolean notBlank(String s) { return s != null && !s.isBlank(); }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }

    /** Typed reads of the inventory's settings map, each failure one line naming the host and key. */
    private record Reader(String name, Map<String, Object> s, Path home) {
        String raw(String key) {
            Object v = s.get(key);
            return v == null ? null : String.valueOf(v);
        }

        String string(String key) throws ProbeException {
            Object v = s.get(key);
            if (v == null) return null;
            if (v instanceof Map || v instanceof Collection) throw bad(key, "must be a single value");
            String t = String.valueOf(v).trim();
            return t.isEmpty() ? null : t;
        }

        List<String> stringList(String key) throws ProbeException {
            Object v = s.get(key);
            List<String> out = new ArrayList<>();
            if (v instanceof Collection<?> c) {
                for (Object o : c) {
                    if (o == null || o instanceof Map || o instanceof Collection) throw bad(key, "must be a path or a list of paths");
                    out.add(String.valueOf(o).trim());
                }
            } else if (v != null) {
                out.add(string(key));
            }
            return out;
        }

        Integer integer(String key, int min, int max) throws ProbeException {
            Object v = s.get(key);
            if (v == null) return null;
            long n;
            if (v instanceof Number num && num.doubleValue() == num.longValue()) {
                n = num.longValue();
            } else {
                try {
                    n = Long.parseLong(String.valueOf(v).trim());
                } catch (NumberFormatException e) {
                    throw bad(key, "must be a whole number, got '" + v + "'");
                }
            }
            if (n < min || n > max) throw bad(key, "must be between " + min + " and " + max + ", got " + n);
            return (int) n;
        }

        boolean bool(String key, boolean dflt) throws ProbeException {
            Object v = s.get(key);
            if (v == null) return dflt;
            if (v instanceof Boolean b) return b;
            String t = String.valueOf(v).trim().toLowerCase();
            if (t.equals("true") || t.equals("yes")) return true;
            if (t.equals("false") || t.equals("no")) return false;
            throw bad(key, "must be true or false, got '" + v + "'");
        }

        Duration duration(String key, Duration dflt) throws ProbeException {
            Object v = s.get(key);
            if (v == null) return dflt;
            try {
                Duration d = Durations.parse(String.valueOf(v));
                if (d.isNegative()) throw new IllegalArgumentException("must not be negative");
                return d;
            } catch (IllegalArgumentException e) {
                throw bad(key, e.getMessage());
            }
        }

        Path path(String p) {
            if (p.equals("~")) return home;
            if (p.startsWith("~/")) return home.resolve(p.substring(2));
            return Path.of(p);
        }

        Invalid bad(String key, String why) {
            return new Invalid(key, "ssh host " + name + ": '" + key + "' " + why);
        }
    }
}

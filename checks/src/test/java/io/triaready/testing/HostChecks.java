package io.triaready.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.core.expect.Expectation;
import io.triaready.core.expect.ExpectationParser;
import io.triaready.spi.BasicProbeContext;
import io.triaready.spi.CheckType;
import io.triaready.spi.Facts;
import io.triaready.spi.HostSpec;
import io.triaready.spi.HostTransport;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;
import io.triaready.transport.local.LocalHost;
import io.triaready.transport.ssh.SshConnector;

/**
 * Runs host check types the way the engine does (parse the YAML, observe, evaluate the expectation)
 * on this machine and over SSH to a real sshd on this machine, so one test covers both transports.
 */
public final class HostChecks implements AutoCloseable {
    private final Sshd sshd;
    private final Session session = new Session();
    private final HostTransport ssh;
    private final Map<String, Object> settings;

    private HostChecks(Sshd sshd, HostTransport ssh, Map<String, Object> settings) {
        this.sshd = sshd;
        this.ssh = ssh;
        this.settings = settings;
    }

    public static HostChecks start(Path dir) throws Exception { return start(dir, new String[0]); }

    /** With these lines added to sshd's config, e.g. {@code MaxSessions 2}. */
    public static HostChecks start(Path dir, String... sshdConfig) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        Path key = Keys.keygen(dir.resolve("id_ed25519"), "ed25519", false, null, "checks");
        Sshd.Builder builder = Sshd.builder(dir.resolve("sshd")).authorize(Keys.pub(key));
        for (String line : sshdConfig) builder.config(line);
        Sshd sshd = builder.start();
        HostChecks h = null;
        try {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("host", sshd.host());
            s.put("port", sshd.port());
            s.put("user", "root");
            s.put("identity", key.toString());
            s.put("known_hosts", sshd.writeKnownHosts(dir.resolve("known_hosts")).toString());
            s.put("ssh_config", "none");
            s.put("agent", "none");
            Session tmp = new Session();
            HostTransport ssh = new SshConnector().connect(new HostSpec("ssh-host", "ssh", s), tmp, Duration.ofSeconds(20));
            h = new HostChecks(sshd, ssh, java.util.Collections.unmodifiableMap(s));
            h.session.shared("connect-session", () -> tmp); // closed with the harness
            return h;
        } catch (Exception e) {
            sshd.close();
            throw e;
        }
    }

    /** This machine and the same machine over SSH. */
    public List<HostTransport> hosts() { return List.of(LocalHost.INSTANCE, ssh); }

    public HostTransport ssh() { return ssh; }

    public Sshd sshd() { return sshd; }

    /** The ssh settings of an inventory host that reaches this sshd (for a {@code HostSpec} of transport ssh). */
    public Map<String, Object> sshSettings() { return settings; }

    /** What a check observed and which expectations failed (empty: PASS). */
    public record Result(Facts facts, List<String> failures, List<String> notes) {
        public Object fact(String name) throws ProbeException { return facts.get(name); }

        public boolean passed() { return failures.isEmpty(); }
    }

    /** Parses {@code spec} (the YAML under the type's key) and fails on any problem. */
    public static Probe parse(CheckType type, String spec) {
        ParseContext ctx = ParseContext.plain();
        Probe p = type.parse(YNode.parse(spec, "test.yaml"), ctx);
        if (!ctx.problems().isEmpty()) throw new AssertionError("problems: " + ctx.problems().sorted());
        if (p == null) throw new AssertionError("no probe for " + spec);
        return p;
    }

    /** The problems parsing {@code spec} reports, as "line:column: message". */
    public static List<String> problems(CheckType type, String spec) {
        ParseContext ctx = ParseContext.plain();
        type.parse(YNode.parse(spec, "test.yaml"), ctx);
        List<String> out = new ArrayList<>();
        ctx.problems().sorted().forEach(p -> out.add(p.line() + ":" + p.column() + ": " + p.message()));
        return out;
    }

    /** Observes on {@code host} and evaluates {@code expect} (YAML), or the type's default expectation when null. */
    public static Result run(CheckType type, String spec, String expect, HostTransport host) throws Exception {
        Probe p = parse(type, spec);
        String e = expect != null ? expect : type.facts().defaultExpect();
        ParseContext ctx = ParseContext.plain();
        Expectation x = ExpectationParser.parse(YNode.parse(e, "expect.yaml"), type.facts(), type.name(), ctx);
        if (!ctx.problems().isEmpty()) throw new AssertionError("expect problems: " + ctx.problems().sorted());
        try (Session s = new Session()) {
            Facts facts = p.observe(BasicProbeContext.of(Duration.ofSeconds(20), host, s));
            return new Result(facts, x.evaluate(facts), facts.notes());
        }
    }

    /** Every fact of the schema, rendered, plus the notes: for "this never shows a secret" assertions. */
    public static String everything(CheckType type, Result r) throws ProbeException {
        StringBuilder b = new StringBuilder();
        for (String n : type.facts().names()) b.append(n).append('=').append(r.facts().get(n)).append('\n');
        r.notes().forEach(n -> b.append(n).append('\n'));
        r.failures().forEach(f -> b.append(f).append('\n'));
        return b.toString();
    }

    @Override
    public void close() {
        session.close();
        sshd.close();
    }
}

package io.triaready.checks.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import io.triaready.spi.Shell;

/**
 * {@code service: nginx} or {@code service: {name: tria-aibpo, properties: [LimitNOFILE]}}: a systemd unit
 * on every host, read with {@code systemctl show} (no pager, no terminal). Facts: active (primary),
 * enabled, state (ActiveState), sub_state, exists (the unit file is loaded) and properties (every
 * property fetched: Restart, RestartUSec, ExecStart, ...). Without {@code expect}, the unit must be active.
 */
public final class ServiceCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("active", "active", "enabled", "state", "sub_state", "exists", "properties")
            .withDefault("active: true");

    /** Always fetched: what the facts need and what readiness plans ask about (restart policy, main PID, ...). */
    static final List<String> PROPERTIES = List.of("Id", "Description", "LoadState", "ActiveState", "SubState", "UnitFileState",
            "Result", "Type", "MainPID", "NRestarts", "Restart", "RestartUSec", "ExecStart", "User", "FragmentPath",
            "ActiveEnterTimestamp");

    /** What {@code systemctl is-enabled} reports with exit code 0: the unit starts without anyone starting it. */
    static final Set<String> ENABLED_STATES = Set.of("enabled", "enabled-runtime", "alias", "static", "indirect", "generated", "transient");

    public ServiceCheckType() { super("service", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        List<String> extra = new ArrayList<>();
        String name = scalarOrKey(spec, ctx, "name", "a unit name, e.g. nginx or tria-aibpo.service",
                f -> extra.addAll(names(f, ctx, "properties", "[A-Za-z][A-Za-z0-9]*", "a systemd property name (e.g. LimitNOFILE, TimeoutStopUSec)")));
        if (name == null) return null;
        Set<String> props = new LinkedHashSet<>(PROPERTIES);
        props.addAll(extra);
        return new ServiceProbe(name.trim(), List.copyOf(props));
    }

    public record ServiceProbe(String unit, List<String> properties) implements HostProbe {
        @Override
        public String describe() { return "service " + unit; }

        String script() {
            return "if ! command -v systemctl >/dev/null 2>&1; then echo '" + HostCommands.MARK + "no-systemctl'; exit 0; fi; "
                    + "systemctl show --no-pager --property=" + String.join(",", properties) + " -- " + Shell.quote(unit);
        }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            String host = ctx.host().name();
            ExecResult r = HostCommands.run(ctx, script(), "systemctl show " + unit);
            if (r.stdout().startsWith(HostCommands.MARK + "no-systemctl")) {
                throw new ProbeException("systemctl not available on " + host);
            }
            if (r.exitCode() != 0) {
                String why = HostCommands.why(r);
                if (why.contains("not been booted with systemd") || why.contains("Failed to connect to bus") || why.contains("Host is down")) {
                    throw new ProbeException("systemd is not running on " + host + " (" + why + ")");
                }
                throw new ProbeException("systemctl show " + unit + " on " + host + ": " + why);
            }
            return facts(unit, parse(r.stdout()));
        }

        static Map<String, String> parse(String out) {
            Map<String, String> props = new LinkedHashMap<>();
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) props.put(line.substring(0, eq), line.substring(eq + 1).stripTrailing());
            }
            return props;
        }

        static Facts facts(String unit, Map<String, String> props) throws ProbeException {
            String state = props.get("ActiveState");
            if (state == null) throw new ProbeException("systemctl show " + unit + " printed no ActiveState");
            String load = props.getOrDefault("LoadState", "");
            String fileState = props.getOrDefault("UnitFileState", "");
            boolean exists = !load.equals("not-found");
            String sub = props.getOrDefault("SubState", "");
            Facts.Builder b = Facts.builder()
                    .put("active", state.equals("active") || state.equals("reloading"))
                    .put("enabled", ENABLED_STATES.contains(fileState))
                    .put("state", state)
                    .put("sub_state", sub)
                    .put("exists", exists)
                    .put("properties", java.util.Collections.unmodifiableMap(new LinkedHashMap<>(props)));
            if (!exists) return b.note("unit " + props.getOrDefault("Id", unit) + " not found").build();
            return b.note(props.getOrDefault("Id", unit) + ": " + state + " (" + sub + "), "
                    + (fileState.isEmpty() ? "no unit file state" : fileState)
                    + (props.containsKey("Restart") ? ", Restart=" + props.get("Restart") : "")).build();
        }
    }
}

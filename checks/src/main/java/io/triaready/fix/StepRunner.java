package io.triaready.fix;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.triaready.base.json.Json;
import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Durations;
import io.triaready.core.playbook.FixStep;
import io.triaready.spi.BasicProbeContext;
import io.triaready.spi.Deadline;
import io.triaready.spi.ExecResult;
import io.triaready.spi.HostConnectors;
import io.triaready.spi.HostSpec;
import io.triaready.spi.HostTransport;
import io.triaready.spi.Need;
import io.triaready.spi.Session;
import io.triaready.spi.Target;
import io.triaready.transport.http.HttpClients;
import io.triaready.transport.local.LocalHost;
import io.triaready.transport.local.SecretEnv;
import io.triaready.transport.postgres.PgConnections;
import io.triaready.transport.postgres.PgUrl;
import io.triaready.transport.tunnel.Tunnels;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Carries out the run, http and sql steps of a fix. A failed step is a {@link StepFailed} with one line. */
final class StepRunner {
    /** A step did not succeed; the message is one line for the report. */
    static final class StepFailed extends Exception {
        StepFailed(String message) { super(message); }
    }

    private final Session session;
    private final Secrets secrets;
    private final FixListener listener;
    private final HostConnectors connectors;

    StepRunner(Session session, Secrets secrets, FixListener listener, HostConnectors connectors) {
        this.connectors = connectors;
        this.session = session;
        this.secrets = secrets;
        this.listener = listener;
    }

    /** A command on a host; a sudo password, when the host has one, goes to stdin, never onto the command line. */
    String run(FixStep step, HostSpec spec, HostTransport host) throws Exception {
        // one wrapping for checks and fixes: the command reads /dev/null, so an unneeded password never reaches
        // it; secrets reach the command through stdin and its environment, never its command line
        SecretEnv.Prepared p = step.sudo()
                ? SecretEnv.prepareSudo(step.command(), spec.setting("sudo_password"), secrets.values())
                : SecretEnv.prepare(step.command(), null, secrets.values());
        ExecResult r;
        try {
            r = host.exec(p.command(), p.stdin(), step.timeout(), line -> listener.output(spec.name(), secrets.mask(line)));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new StepFailed("did not finish within " + Durations.format(step.timeout()) + " (killed)");
        }
        if (r.exitCode() != 0) {
            String err = HostTransport.firstLine(r.stderr());
            throw new StepFailed("exit " + r.exitCode() + (err.isEmpty() ? "" : ": " + secrets.mask(err)));
        }
        return "exit 0 in " + Durations.format(r.duration());
    }

    String http(FixStep step, Target target) throws Exception {
        Map<String, Object> h = step.http();
        BasicProbeContext ctx = new BasicProbeContext(Deadline.of(step.timeout()), LocalHost.INSTANCE,
                target, session, secrets);
        OkHttpClient base = HttpClients.select(ctx, Boolean.TRUE.equals(h.get("insecure")), null);
        OkHttpClient client = HttpClients.withTimeout(base, step.timeout());
        String method = String.valueOf(h.get("method"));
        RequestBody body = null;
        if (h.containsKey("json")) {
            Object json = h.get("json");
            String text = json instanceof String s ? s : Json.mapper().writeValueAsString(json);
            body = RequestBody.create(text, MediaType.get("application/json; charset=utf-8"));
        } else if (h.containsKey("body")) {
            body = RequestBody.create(String.valueOf(h.get("body")), MediaType.get("text/plain; charset=utf-8"));
        } else if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("DELETE")) {
            body = RequestBody.create(new byte[0]);
        }
        Request.Builder rb = new Request.Builder().url(String.valueOf(h.get("url"))).method(method, body);
        Object headers = h.get("headers");
        if (headers instanceof Map<?, ?> m) m.forEach((k, v) -> rb.header(String.valueOf(k), String.valueOf(v)));
        try (Response resp = client.newCall(rb.build()).execute()) {
            int code = resp.code();
            Object expected = h.get("expect_status");
            boolean ok = expected == null ? code >= 200 && code < 300 : String.valueOf(code).equals(String.valueOf(expected));
            String snippet = resp.body() == null ? "" : resp.body().string();
            snippet = snippet.length() > 200 ? snippet.substring(0, 200) + "…" : snippet;
            for (String line : snippet.lines().toList()) listener.output("-", secrets.mask(line));
            if (!ok) throw new StepFailed(method + " " + secrets.mask(String.valueOf(h.get("url"))) + " answered " + code
                    + (expected == null ? " (expected 2xx)" : " (expected " + expected + ")"));
            return method + " -> " + code;
        } catch (java.io.IOException e) {
            throw new StepFailed(method + " " + secrets.mask(String.valueOf(h.get("url"))) + ": " + e.getMessage());
        }
    }

    /** All statements in one transaction: committed only when every one succeeded. */
    String sql(FixStep step, Target target) throws Exception {
        for (Need need : step.needs()) {
            String unmet = need.unmet(target); // validate -t says the same, at the step
            if (unmet != null) throw new StepFailed(unmet);
        }
        Map<String, Object> endpoint = target.endpoint(step.endpoint());
        Object url = endpoint.get("url");
        PgUrl pg;
        try {
            pg = PgUrl.parse(String.valueOf(url));
        } catch (IllegalArgumentException e) {
            throw new StepFailed(step.endpoint() + ": " + e.getMessage());
        }
        Object tunnel = endpoint.get("tunnel");
        java.net.InetSocketAddress via = tunnel == null ? null
                : Tunnels.reach(target, connectors, session, pg.host(), pg.port(), String.valueOf(tunnel), step.timeout());
        String jdbc = pg.jdbc(via);
        Object user = endpoint.get("user") != null ? endpoint.get("user") : pg.user();
        Object password = endpoint.get("password") != null ? endpoint.get("password") : pg.password();
        int seconds = (int) Math.max(1, step.timeout().toSeconds());
        try (Connection c = PgConnections.open(jdbc, user == null ? null : String.valueOf(user),
                password == null ? null : String.valueOf(password), step.timeout(), false, "tria-ready-fix")) {
            int i = 0;
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(seconds);
                int rows = 0;
                for (String sql : step.statements()) {
                    i++;
                    st.execute(sql);
                    rows += Math.max(0, st.getUpdateCount());
                }
                c.commit();
                return step.statements().size() + " statement(s) committed, " + rows + " row(s) changed";
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone: the server rolls back on its own
                }
                throw new StepFailed("statement " + i + " failed: " + secrets.maskEcho(firstLine(e.getMessage()), step.statements().get(i - 1)) + "; rolled back, nothing committed");
            }
        } catch (SQLException e) {
            throw new StepFailed("cannot connect to " + pg.display() + ": " + secrets.mask(firstLine(e.getMessage())));
        }
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s.strip() : s.substring(0, nl).strip();
    }
}

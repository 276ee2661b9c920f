package io.triaready.checks.sql;

import java.util.List;
import java.util.Map;

import io.triaready.base.yaml.Durations;
import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.checks.support.DeclaredCheckType;
import io.triaready.checks.support.EndpointLogin;
import io.triaready.checks.support.InlineEndpoint;
import io.triaready.checks.support.TargetProbe;
import io.triaready.checks.support.ValueExpression;
import io.triaready.core.expect.Missing;
import io.triaready.core.expect.Values;
import io.triaready.core.expr.EvaluationException;
import io.triaready.core.expr.Expression;
import io.triaready.spi.Endpoint;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Facts;
import io.triaready.spi.Need;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;
import io.triaready.transport.pool.ClientKey;
import io.triaready.transport.postgres.PgClient;
import io.triaready.transport.postgres.PgUrl;
import io.triaready.transport.postgres.QueryResult;
import io.triaready.transport.postgres.RolePowers;
import io.triaready.transport.postgres.SqlText;
import io.triaready.transport.postgres.StatementScreen;

/**
 * {@code sql: "SELECT count(*) FROM products WHERE embedding IS NULL"} or
 * {@code sql: {query: ..., endpoint: postgres, value: "hits / (hits + misses)"}}: one read-only query on
 * the target's PostgreSQL. Facts: value (primary: first column of the first row, or the {@code value}
 * expression over the first row's columns), rows, row_count, columns, duration_ms. No default
 * expectation: a query means nothing until the playbook says what it should return.
 */
public final class SqlCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("value", "value", "rows", "row_count", "columns", "duration_ms");
    static final int DEFAULT_MAX_ROWS = 1000;
    static final String DEFAULT_ENDPOINT = "postgres";

    public SqlCheckType() { super("sql", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        String query;
        String endpoint = null;
        Expression value = null;
        int maxRows = DEFAULT_MAX_ROWS;
        Map<String, Object> inline = Map.of();
        YNode queryNode = spec;
        YNode needAt = spec; // where a missing endpoint is reported: the check, or its endpoint: key
        if (spec.isScalar()) {
            query = scalar(spec, ctx);
        } else {
            Fields f = fields(spec, ctx);
            queryNode = f.node("query");
            query = f.requiredString("query");
            endpoint = f.string("endpoint").orElse(null);
            if (endpoint != null) needAt = f.node("endpoint");
            inline = InlineEndpoint.read(f, List.of("url", "user", "password", "tunnel"));
            value = ValueExpression.read(f, ctx, "columns");
            long m = f.integer("max_rows", DEFAULT_MAX_ROWS);
            if (m < 1 || m > 100_000) {
                ctx.problem(f.node("max_rows"), "'max_rows' must be between 1 and 100000");
            } else {
                maxRows = (int) m;
            }
            f.finish();
            InlineEndpoint.urlAccepted(f, ctx, inline, PgUrl::parse);
        }
        if (query == null) return null;
        query = SqlText.stripTrailingSemicolons(query);
        if (query.isEmpty()) {
            needs(queryNode, ctx, "a query, e.g. SELECT count(*) FROM products");
            return null;
        }
        int second = SqlText.secondStatementAt(query);
        if (second > 0) {
            ctx.problem(queryNode, "the query must be one statement (a second one starts after the ';' at position " + second
                    + "): write one sql check per statement");
            return null;
        }
        return new SqlProbe(query, endpoint, Map.copyOf(inline), value, maxRows,
                Need.endpoint(endpoint, DEFAULT_ENDPOINT, inline, needAt, SqlCheckType::urlProblem));
    }

    /** What is wrong with a PostgreSQL url, or null. */
    static String urlProblem(String url) {
        try {
            PgUrl.parse(url);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** One query on one database. */
    public record SqlProbe(String query, String endpoint, Map<String, Object> inline, Expression value, int maxRows,
                           List<Need> needs) implements TargetProbe {
        public SqlProbe {
            needs = List.copyOf(needs);
        }

        /** A probe built in code: its needs are checked at run time. */
        public SqlProbe(String query, String endpoint, Map<String, Object> inline, Expression value, int maxRows) {
            this(query, endpoint, inline, value, maxRows, List.of());
        }

        @Override
        public String describe() { return Endpoint.describeQuery("sql", endpoint, inline, DEFAULT_ENDPOINT, query); }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            String refused = StatementScreen.refusal(query); // before connecting: a refused query never reaches the server
            if (refused != null) throw new ProbeException(refused);
            Endpoint ep = Endpoint.resolve(ctx, endpoint, DEFAULT_ENDPOINT, inline);
            EndpointLogin<PgUrl> login = EndpointLogin.of(ctx, ep, PgUrl::parse, PgUrl::user, PgUrl::password);
            PgUrl url = login.url();
            String user = login.user();
            String password = login.password();
            String where = url.display() + (user != null ? " as " + user : "") + (ep.tunnel() != null ? " via " + ep.tunnel() + " tunnel" : "");
            // everything that authenticates the connection: a wrong password never rides on a right one
            String key = ClientKey.of("pg", url.display(), ClientKey.secret(url.jdbc(null)), user, ClientKey.secret(password),
                    ep.tunnel());
            PgClient client = ctx.session().shared(key, () -> {
                java.net.InetSocketAddress via = ep.tunnel() == null ? null : ep.reach(ctx, url.host(), url.port());
                return PgClient.connect(url, url.jdbc(via), where, user, password, ctx.secrets(), ctx.deadline().remaining());
            });
            RolePowers powers = ctx.session().shared("pg-role|" + key, () -> new RolePowers(ep.name()));
            QueryResult r;
            try {
                r = client.query(ctx, query, maxRows);
            } finally {
                powers.inspect(client, ctx.session(), ctx.deadline()); // once per endpoint, after the check's own query
            }

            Facts.Builder b = Facts.builder()
                    .put("rows", r.rows())
                    .put("row_count", r.rowCount())
                    .put("columns", r.columns())
                    .put("duration_ms", r.duration().toMillis());
            String summary = r.rowCount() + (r.rowCount() == 1 ? " row" : " rows") + " in " + Durations.format(r.duration())
                    + " from " + url.display();
            if (r.truncated()) summary += " (first " + r.rows().size() + " kept in 'rows')";
            if (r.wasResent()) summary += "; run again on a new connection (the server had closed the pooled one)";
            b.note(summary);
            String roleWarning = powers.claim(); // once per endpoint: on the first result that has notes
            if (roleWarning != null) b.note("warning: " + roleWarning);
            if (r.rows().isEmpty()) {
                b.put("value", Missing.INSTANCE).note(r.columns().isEmpty() ? "the statement returned no result set" : "query returned no rows");
            } else if (value == null) {
                b.put("value", r.rows().get(0).get(r.columns().get(0)));
            } else {
                Map<String, Object> first = r.rows().get(0);
                try {
                    b.put("value", value.evaluate(name -> column(first, name)));
                } catch (EvaluationException e) {
                    throw new ProbeException("value '" + value.text() + "': " + e.getMessage());
                }
            }
            return b.build();
        }

        private static double column(Map<String, Object> row, String name) throws EvaluationException {
            Object v;
            if (row.containsKey(name)) {
                v = row.get(name);
            } else {
                String found = row.keySet().stream().filter(k -> k.equalsIgnoreCase(name)).findFirst().orElse(null);
                if (found == null) throw new EvaluationException("no column '" + name + "' (columns: " + String.join(", ", row.keySet()) + ")");
                v = row.get(found);
            }
            if (v == null) throw new EvaluationException("column '" + name + "' is NULL");
            if (v instanceof Boolean bool) return bool ? 1 : 0;
            Double d = Values.number(v);
            if (d == null) throw new EvaluationException("column '" + name + "' is not a number: " + Values.render(v));
            return d;
        }
    }
}

package io.triaready.datacheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.YNode;
import io.triaready.builtin.BuiltIns;
import io.triaready.core.engine.Engine;
import io.triaready.core.engine.RunListener;
import io.triaready.core.engine.RunOptions;
import io.triaready.core.engine.RunResult;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;
import io.triaready.inventory.InventoryLoader;
import io.triaready.spi.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The data check types as a user meets them: an inventory with postgres/redis endpoints and a secret
 * from the environment, a playbook loaded by the real loader, run by the real engine.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DataChecksEndToEndTest {
    @Test
    void aPlaybookOfDataChecks() throws Exception {
        String db = "tria_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String secret = "pg-Secret-" + UUID.randomUUID().toString().substring(0, 6);
        Properties admin = new Properties();
        admin.setProperty("user", "postgres");
        try (Connection c = new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:5432/postgres", admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/metrics", ex -> {
            byte[] b = "vpbank_voice_agent_llm_cache_hits_total 40\nvpbank_voice_agent_llm_cache_misses_total 60\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        app.start();
        try {
            try (Connection c = new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:5432/" + db, admin); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE products (id int, embedding real[])");
                s.execute("INSERT INTO products VALUES (1, '{1}'), (2, NULL)");
            }
            Map<String, String> env = Map.of("TEST_PG_PASSWORD", secret);
            Secrets secrets = new Secrets();
            Target target = InventoryLoader.parse(io.triaready.builtin.BuiltIns.hostConnectors(), YNode.parse("""
                    targets:
                      staging:
                        http: {base_url: "http://127.0.0.1:%d"}
                        postgres: {url: "jdbc:postgresql://127.0.0.1:5432/%s", user: postgres, password: "${env:TEST_PG_PASSWORD}"}
                        redis: {url: "redis://127.0.0.1:6379"}
                        endpoints:
                          analytics_db: {url: "jdbc:postgresql://127.0.0.1:5432/%s", user: postgres}
                    """.formatted(app.getAddress().getPort(), db, db), "inventory.yml"), Interpolator.External.RESOLVE, env::get, secrets)
                    .target("staging").orElseThrow();
            int closed = CheckHarness.closedPort();
            Playbook pb = new PlaybookLoader(BuiltIns.checkTypes()).load(new StringReader("""
                    playbook: data
                    checks:
                      - id: products-have-embeddings
                        phase: p1
                        sql: "SELECT count(*) FROM products WHERE embedding IS NULL"
                        expect: {equals: 0}
                      - id: products-loaded
                        phase: p1
                        sql: {query: "SELECT count(*) FROM products", endpoint: analytics_db}
                        expect: {gte: 2}
                      - id: no-writes
                        phase: p1
                        sql: "DELETE FROM products"
                        expect: {row_count: 0}
                      - id: redis-up
                        phase: p0
                        redis: {ping: true}
                      - id: cache-hit-rate
                        phase: p1
                        metrics:
                          url: "${http.base_url}/metrics"
                          value: "vpbank_voice_agent_llm_cache_hits_total / (vpbank_voice_agent_llm_cache_hits_total + vpbank_voice_agent_llm_cache_misses_total)"
                        expect: {between: [0.30, 0.50]}
                      - id: cert
                        phase: p2
                        tls: "127.0.0.1:%d"
                    """.formatted(closed)), "data.yml", new PlaybookLoader.Options(target, Map.of(), Interpolator.External.RESOLVE, env::get, secrets));
            RunResult r = new Engine(BuiltIns.hostConnectors()).run(pb, target, RunOptions.defaults(), secrets, RunListener.NONE, "test");

            assertThat(result(r, "products-have-embeddings").outcome()).isEqualTo(Outcome.FAIL);
            assertThat(result(r, "products-have-embeddings").message()).isEqualTo("value: expected 0, got 1");
            assertThat(result(r, "products-loaded").outcome()).as(result(r, "products-loaded").message()).isEqualTo(Outcome.PASS);
            assertThat(result(r, "no-writes").outcome()).isEqualTo(Outcome.ERROR);
            assertThat(result(r, "no-writes").message()).startsWith("refused: DELETE writes data");
            assertThat(result(r, "redis-up").outcome()).as(result(r, "redis-up").message()).isEqualTo(Outcome.PASS);
            assertThat(result(r, "cache-hit-rate").outcome()).as(result(r, "cache-hit-rate").message()).isEqualTo(Outcome.PASS);
            assertThat(result(r, "cert").outcome()).isEqualTo(Outcome.ERROR);
            for (CheckResult c : r.checks()) assertThat(String.valueOf(c)).doesNotContain(secret);
        } finally {
            app.stop(0);
            try (Connection c = new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:5432/postgres", admin); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    private static CheckResult result(RunResult r, String id) {
        return r.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }
}

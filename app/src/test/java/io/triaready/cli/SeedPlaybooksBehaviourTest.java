package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour checks of the seed playbooks, each seen to FAIL against a stand-in of the broken
 * system the plan describes and to PASS against a healthy one: real HTTP servers answering like the
 * service (and like Grafana and Prometheus' query API), real file trees read by the real commands
 * (grep, awk, curl, Python's parser) on this machine. One audit per state and seed, asserting every
 * check's outcome; a check BLOCKED in a broken run is one whose dependency failed there (and so did
 * not pass either).
 */
class SeedPlaybooksBehaviourTest {
    @TempDir
    Path dir;

    /** python3's own executable, without a version manager's shim in front (a shim costs seconds on a busy machine). */
    static final String PYTHON = realPython();

    private static String realPython() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 && !out.isEmpty() ? out : "python3";
        } catch (IOException e) {
            return "python3";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "python3";
        }
    }

    /** The state the stand-in server answers in: a healthy system, or one of the broken ones. */
    enum Mode { HEALTHY, BROKEN, BROKEN_BEHAVIOUR, NO_CACHE }

    volatile Mode mode = Mode.HEALTHY;
    final Set<String> seen = ConcurrentHashMap.newKeySet();
    HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    // ------------------------------------------------------------------------------------------
    // tria-aibpo (plans 000 and 001)
    // ------------------------------------------------------------------------------------------

    /** Every tria-aibpo check this machine can stand up (not: systemd, TLS of the real domain, nginx -t, drills, sign-offs). */
    static final List<String> TRIA = List.of("chromadb-connected", "chatbot-answers", "health-all-services", "xero-connected",
            "metrics-exposed", "docs-exposed", "openapi-exposed", "cache-stats-exposed", "backend-answers", "healthcheck-script",
            "health-check-cron", "context-turn-1", "context-retained", "no-hardcoded-keys", "products-loaded", "products-have-embeddings",
            "outlets-loaded", "chromadb-collections-populated", "postgres-reachable", "env-vars-present", "env-file-private",
            "prometheus-healthy", "grafana-healthy", "alertmanager-healthy", "prometheus-scrapes-backend", "alert-rules-defined",
            "alert-channels-configured", "frontend-loads", "product-inquiry-answered", "cache-second-request-fast", "latency-p50",
            "latency-p95", "cache-hit-rate", "input-validation-empty-message", "input-validation-missing-fields", "xss-sanitized",
            "no-hardcoded-urls", "no-fallback-values", "no-bare-except", "no-mocks-in-src", "single-db-engine", "centralized-config",
            "data-dictionary", "claude-md-enforcement", "scripts-readme-complete");

    @Test
    void triaAibpo() throws Exception {
        start(this::tria);
        Path healthy = dir.resolve("tria-healthy");
        Path broken = dir.resolve("tria-broken");
        Path app = healthy.resolve("opt/tria");
        write(app.resolve("scripts/healthcheck.sh"), """
                #!/bin/bash
                response=$(curl -s -o /dev/null -w "%{http_code}" https://tria.himeet.ai/health)
                if [ "$response" != "200" ]; then
                    echo "Health check failed: $response"
                    systemctl restart tria-aibpo
                fi
                """, true);
        write(app.resolve("scripts/build_knowledge_base.py"), "print('kb')\n", false);
        write(app.resolve("scripts/README.md"), "# Scripts\n- `build_knowledge_base.py`: builds the RAG\n", false);
        write(app.resolve("docs/DATA_DICTIONARY.md"), """
                # TRIA data dictionary
                ## Database tables
                ## API request and response schemas
                ## Environment variables
                ## ChromaDB collections
                """, false);
        write(app.resolve("CLAUDE.md"), "Follow the naming convention. Read the data dictionary. Check for a duplicate first. Keep file path rules.\n", false);
        write(app.resolve("src/database.py"), "engine = create_engine(DATABASE_URL)\n", false);
        write(app.resolve("src/config.py"), "import os\nDATABASE_URL = os.getenv('DATABASE_URL')\n", false);
        write(app.resolve("src/api.py"), "from database import engine\n\ntry:\n    run()\nexcept ValueError:\n    pass\n", false);
        write(app.resolve(".env"), "DATABASE_URL=postgresql://db/tria\nOPENAI_API_KEY=x\nTAX_RATE=0.09\nXERO_SALES_ACCOUNT_CODE=200\n"
                + "XERO_TAX_TYPE=OUTPUT2\nREDIS_HOST=127.0.0.1\nREDIS_PORT=6379\n", false);
        Files.setPosixFilePermissions(app.resolve(".env"), PosixFilePermissions.fromString("rw-------"));
        write(app.resolve("monitoring/prometheus/alerts.yml"), "groups:\n  - name: tria\n    rules:\n      - alert: BackendDown\n        expr: up == 0\n", false);
        write(app.resolve("monitoring/alertmanager/config.yml"), "receivers:\n  - name: ops\n    slack_configs:\n      - channel: '#ops'\n", false);
        write(healthy.resolve("etc/cron.d/tria-healthcheck"), "*/5 * * * * root /opt/tria/scripts/healthcheck.sh >> /var/log/tria-healthcheck.log 2>&1\n", false);

        Path bad = broken.resolve("opt/tria");
        // executable, and every word the old check looked for is there, in comments
        write(bad.resolve("scripts/healthcheck.sh"), """
                #!/bin/bash
                # TODO: curl https://tria.himeet.ai/health, compare with 200, systemctl restart tria-aibpo
                echo ok
                """, true);
        write(bad.resolve("scripts/build_knowledge_base.py"), "print('kb')\n", false);
        write(bad.resolve("scripts/load_outlets_from_excel.py"), "print('outlets')\n", false);
        write(bad.resolve("scripts/README.md"), "# Scripts\n- `build_knowledge_base.py`: builds the RAG\n", false);
        write(bad.resolve("docs/DATA_DICTIONARY.md"), "TODO: tables, request/response schemas, environment variables, chromadb\n", false);
        write(bad.resolve("src/database.py"), "engine = create_engine(DATABASE_URL)\n", false);
        write(bad.resolve("src/config.py"), "import os\nDATABASE_URL = os.getenv('DATABASE_URL')\n", false);
        write(bad.resolve("src/agent.py"), """
                import os
                from unittest.mock import MagicMock
                from sqlalchemy import create_engine
                engine = create_engine(os.environ['DATABASE_URL'])
                OPENAI_KEY = "sk-proj-abcdefghijklmnopqrstuvwx"
                XERO = "https://api.xero.com/api.xro/2.0"
                def outlets(rows):
                    try:
                        return rows or []
                    except:
                        return MagicMock()
                """, false);
        write(bad.resolve(".env"), "DATABASE_URL=postgresql://db/tria\nOPENAI_API_KEY=x\nREDIS_HOST=127.0.0.1\nREDIS_PORT=6379\n", false);
        write(bad.resolve("monitoring/prometheus/alerts.yml"), "groups: []\n", false);
        write(bad.resolve("monitoring/alertmanager/config.yml"), "receivers:\n  - name: ops\n    # slack_configs: to do\n", false);

        String[] good = {"root=" + healthy, "backend_url=" + url(), "prometheus_port=" + port(), "grafana_port=" + port(), "alertmanager_port=" + port()};
        try (Database ok = new Database(160, 0, "Pasir Ris"); Database wrong = new Database(160, 3, "");
             Database few = new Database(12, 0, "Pasir Ris")) {
            mode = Mode.HEALTHY;
            assertThat(audit("tria-aibpo", ok, String.join(",", TRIA), good)).as("healthy").containsAllEntriesOf(all(TRIA, "pass"));

            // the plan's broken system, and worse: 200 with an error text for every chat message, dead
            // backend behind nginx, monitoring routes answered by the frontend's 404, a half-built
            // knowledge base, hardcoded credentials, no alerting, no cron, an empty health-check script
            mode = Mode.BROKEN;
            Map<String, String> expected = all(TRIA, "fail");
            for (String id : List.of("context-turn-1", "context-retained", "product-inquiry-answered", "cache-second-request-fast", "xss-sanitized"))
                expected.put(id, "blocked");        // depend on chatbot-answers
            expected.put("cache-hit-rate", "blocked");   // depends on cache-stats-exposed
            for (String id : List.of("chromadb-connected", "products-loaded", "postgres-reachable"))
                expected.put(id, "pass");           // not broken in this run (too few products: the behaviour run below)
            assertThat(audit("tria-aibpo", wrong, String.join(",", TRIA), "root=" + broken, "backend_url=http://127.0.0.1:" + closedPort(),
                    "prometheus_port=" + port(), "grafana_port=" + port(), "alertmanager_port=" + port()))
                    .as("broken").containsExactlyInAnyOrderEntriesOf(expected);

            // "hello" answered, but: the question echoed, the conversation forgotten, the repeat a fast
            // error, script tags echoed; too few products
            mode = Mode.BROKEN_BEHAVIOUR;
            String behaviour = "chromadb-connected,chatbot-answers,context-turn-1,context-retained,product-inquiry-answered,"
                    + "cache-second-request-fast,xss-sanitized,products-loaded,products-have-embeddings";
            assertThat(audit("tria-aibpo", few, behaviour, good)).as("broken behaviour")
                    .containsEntry("chatbot-answers", "pass").containsEntry("context-turn-1", "pass")
                    .containsEntry("context-retained", "fail").containsEntry("product-inquiry-answered", "fail")
                    .containsEntry("cache-second-request-fast", "fail").containsEntry("xss-sanitized", "fail")
                    .containsEntry("products-loaded", "fail").containsEntry("products-have-embeddings", "blocked");

            // valid answers, no cache: the second request is as slow as the first
            mode = Mode.NO_CACHE;
            assertThat(audit("tria-aibpo", ok, "chromadb-connected,chatbot-answers,cache-second-request-fast", good))
                    .as("no cache").containsEntry("chatbot-answers", "pass").containsEntry("cache-second-request-fast", "fail");
        }
    }

    private void tria(HttpExchange ex, String path, String body) throws IOException {
        boolean ok = mode != Mode.BROKEN;
        switch (path) {
            case "/health" -> send(ex, 200, ok ? "{\"status\":\"healthy\",\"chromadb\":\"connected\",\"redis\":\"connected\",\"xero\":\"connected\"}"
                    : "{\"status\":\"degraded\",\"chromadb\":\"connected\",\"redis\":\"disconnected\",\"xero\":\"token_expired\"}");
            case "/" -> {
                if (ok) sendAs(ex, 200, "text/html", "<!doctype html><html><body>TRIA</body></html>");
                else sendAs(ex, 502, "text/html", "<html><body>502 Bad Gateway</body></html>");
            }
            case "/metrics", "/docs", "/openapi.json", "/api/v1/cache/stats" -> {
                if (!ok) sendAs(ex, 404, "text/html", "<html><body>404: This page could not be found.</body></html>");
                else if (path.equals("/metrics")) sendText(ex, "# TYPE http_requests_total counter\nhttp_requests_total 3\n");
                else if (path.equals("/docs")) sendAs(ex, 200, "text/html", "<html><title>Swagger UI</title></html>");
                else if (path.equals("/openapi.json")) send(ex, 200, "{\"openapi\":\"3.1.0\"}");
                else send(ex, 200, "{\"hit_rate\":0.42,\"hits\":42,\"misses\":58}");
            }
            case "/api/v1/kb/collections" -> send(ex, 200, ok
                    ? "{\"collections\":[{\"name\":\"policies_en\",\"count\":12},{\"name\":\"faqs_en\",\"count\":30},"
                      + "{\"name\":\"escalation_rules\",\"count\":5},{\"name\":\"tone_personality\",\"count\":4}]}"
                    : "{\"collections\":[{\"name\":\"policies_en\",\"count\":0},{\"name\":\"faqs_en\",\"count\":0}]}");
            case "/-/healthy", "/api/health" -> send(ex, ok ? 200 : 503, "{}");
            case "/api/v1/query" -> prometheus(ex, body, List.of(
                    new Series("histogram_quantile(0.50", 2.1, 7.5), new Series("histogram_quantile(0.95", 6.0, 14.0),
                    new Series("up{job=", 1.0, 0.0)));
            case "/api/chatbot" -> {
                var json = new ObjectMapper().readTree(body);
                String message = json.path("message").asText();
                String lower = message.toLowerCase();
                if (mode != Mode.BROKEN && (message.isBlank() || !json.has("user_id") || !json.has("session_id"))) {
                    send(ex, 422, "{\"detail\":[{\"msg\":\"field required\"}]}");
                } else if (mode == Mode.BROKEN) {
                    send(ex, 200, "{\"response\":\"Error: the model provider returned 429, please retry\"}");
                } else if (lower.contains("<script>")) {
                    if (mode == Mode.HEALTHY) send(ex, 200, "{\"response\":\"Hello! How can I help?\"}");
                    else send(ex, 200, "{\"response\":\"You said: " + message + "\"}");
                } else if (lower.contains("cache probe")) {
                    boolean repeat = !seen.add(message);
                    if (mode == Mode.HEALTHY && repeat) send(ex, 200, "{\"response\":\"Hello again! How can I help?\"}");
                    else if (mode == Mode.BROKEN_BEHAVIOUR && repeat) send(ex, 200, "{\"detail\":\"cache backend unavailable\"}");
                    else {
                        pause(800);
                        send(ex, 200, "{\"response\":\"Hello! How can I help?\"}");
                    }
                } else if (lower.contains("sizes")) {
                    if (mode == Mode.HEALTHY) send(ex, 200, "{\"response\":\"We offer 10-inch, 12-inch and 14-inch pizza boxes.\"}");
                    else send(ex, 200, "{\"response\":\"You asked: " + message + "\"}");
                } else if (lower.contains("outlet is")) {
                    send(ex, 200, "{\"response\":\"Got it, Canadian Pizza Pasir Ris.\"}");
                } else if (lower.contains("which outlet")) {
                    if (mode == Mode.HEALTHY) send(ex, 200, "{\"response\":\"You are ordering for Canadian Pizza Pasir Ris.\"}");
                    else send(ex, 200, "{\"response\":\"Which outlet are you ordering for?\"}");
                } else {
                    send(ex, 200, "{\"response\":\"Hello! How can I help you with your order today?\"}");
                }
            }
            default -> send(ex, 404, "{\"detail\":\"Not Found\"}");
        }
    }

    /** A PostgreSQL database of its own (unique name, dropped afterwards) with the plan's products and outlets tables. */
    static final class Database implements AutoCloseable {
        static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
        final String name = "tria_seed_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);

        Database(int products, int withoutEmbedding, String outletName) throws java.sql.SQLException {
            try (var c = java.sql.DriverManager.getConnection(ADMIN); var s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + name + "?user=postgres");
                 var s = c.createStatement()) {
                s.execute("CREATE TABLE products (id serial PRIMARY KEY, name text, embedding text)");
                s.execute("INSERT INTO products (name, embedding) SELECT 'box ' || g, CASE WHEN g <= " + withoutEmbedding
                        + " THEN NULL ELSE '[0.1,0.2]' END FROM generate_series(1, " + products + ") g");
                s.execute("CREATE TABLE outlets (id serial PRIMARY KEY, name text, city text)");
                s.execute("INSERT INTO outlets (name, city) VALUES ('Canadian Pizza " + outletName + "', 'Singapore'), ('" + outletName + "', 'Singapore')");
            }
        }

        String url() { return "jdbc:postgresql://127.0.0.1:5432/" + name; }

        @Override
        public void close() throws java.sql.SQLException {
            try (var c = java.sql.DriverManager.getConnection(ADMIN); var s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // rag-gateway (plan 002)
    // ------------------------------------------------------------------------------------------

    /** Every rag-gateway check this machine can stand up (cache-up pings the real Redis; it is up in both states). */
    static final List<String> RAG = List.of("assistant-answers", "gateway-rate-limit", "cached-response-time", "cache-hit-rate",
            "circuit-breaker-present", "circuit-breaker-closed", "semantic-metrics-exposed", "error-rate", "p99-latency",
            "alert-rules-loaded", "cost-metrics-exposed", "daily-cost", "correlation-id-returned", "rate-limiter-code-removed",
            "rate-limiting-out-of-routes", "gateway-dependencies-removed");

    @Test
    void ragGateway() throws Exception {
        start(this::rag);
        Path healthy = dir.resolve("rag-healthy");
        Path broken = dir.resolve("rag-broken");
        write(healthy.resolve("app/api/routes/assistant_routes.py"), "@router.post('/query')\nasync def query(q):\n    return await pipeline(q)\n", false);
        write(healthy.resolve("requirements.txt"), "fastapi==0.115\nredis==5.0\nprometheus-client==0.20\n", false);
        write(broken.resolve("app/middleware/rate_limiter.py"), "limiter = Limiter(key_func=get_remote_address)\n", false);
        write(broken.resolve("app/api/routes/assistant_routes.py"), "@limiter.limit('10/minute')\nasync def query(q):\n    return await pipeline(q)\n", false);
        write(broken.resolve("requirements.txt"), "fastapi==0.115\nslowapi==0.1.9\n", false);

        mode = Mode.HEALTHY;
        assertThat(audit("rag-gateway", String.join(",", RAG), "service_dir=" + healthy)).as("healthy").containsExactlyInAnyOrderEntriesOf(all(RAG, "pass"));

        // 200 {"error": ...} for every question, no rate limit, a cold cache, an open breaker, no
        // semantic or cost metrics, no alert rules, the service-side limiter still there
        mode = Mode.BROKEN;
        Map<String, String> expected = all(RAG, "fail");
        expected.put("cached-response-time", "blocked");     // depends on assistant-answers
        expected.put("circuit-breaker-present", "pass");
        assertThat(audit("rag-gateway", String.join(",", RAG), "service_dir=" + broken)).as("broken").containsExactlyInAnyOrderEntriesOf(expected);
    }

    private final java.util.concurrent.atomic.AtomicInteger burst = new java.util.concurrent.atomic.AtomicInteger();

    private void rag(HttpExchange ex, String path, String body) throws IOException {
        boolean ok = mode == Mode.HEALTHY;
        switch (path) {
            case "/api/v1/assistant/query" -> {
                // the rate-limit drill is the only client sending with curl: a per-client limit of 10 a minute
                String agent = String.valueOf(ex.getRequestHeaders().getFirst("User-Agent"));
                if (ok && agent.startsWith("curl") && burst.incrementAndGet() > 10) {
                    send(ex, 429, "{\"detail\":\"Too Many Requests\"}");
                    return;
                }
                if (ok) ex.getResponseHeaders().set("X-Request-Id", "req-7f3a");
                send(ex, 200, ok ? "{\"answer\":\"The notes stress grace and patience.\",\"sources\":[\"notes-12\"]}"
                        : "{\"error\":\"upstream LLM timeout\"}");
            }
            case "/metrics" -> sendText(ex, ok ? """
                    # TYPE ai_assistant_cache_hits_total counter
                    ai_assistant_cache_hits_total 70
                    # TYPE ai_assistant_cache_misses_total counter
                    ai_assistant_cache_misses_total 30
                    # TYPE ai_assistant_circuit_breaker_state gauge
                    ai_assistant_circuit_breaker_state{dependency="llm"} 0
                    # TYPE ai_assistant_answer_relevance_score gauge
                    ai_assistant_answer_relevance_score 0.83
                    # TYPE ai_assistant_tokens_total counter
                    ai_assistant_tokens_total{kind="output"} 51234
                    """ : """
                    # TYPE ai_assistant_cache_hits_total counter
                    ai_assistant_cache_hits_total 10
                    # TYPE ai_assistant_cache_misses_total counter
                    ai_assistant_cache_misses_total 90
                    # TYPE ai_assistant_circuit_breaker_state gauge
                    ai_assistant_circuit_breaker_state{dependency="llm"} 1
                    """);
            case "/api/v1/query" -> prometheus(ex, body, List.of(
                    new Series("status=~\"5..\"", 0.004, 0.07), new Series("histogram_quantile(0.99", 3.2, 9.0),
                    new Series("prometheus_rule_group_rules", 4.0, null), new Series("ai_assistant_cost_usd_total", 12.5, 80.0)));
            default -> send(ex, 404, "{\"detail\":\"Not Found\"}");
        }
    }

    // ------------------------------------------------------------------------------------------
    // analysis-bot (plan 003)
    // ------------------------------------------------------------------------------------------

    @Test
    void analysisBot() throws Exception {
        start(this::analysis);
        Path healthy = dir.resolve("bot-healthy");
        Path broken = dir.resolve("bot-broken");
        write(healthy.resolve("core/ai_models/clients/gemini_client.py"), """
                import asyncio
                import aiohttp

                class GeminiClient:
                    def __init__(self, api_key: str):
                        self.api_key = api_key
                        self.base_url = "https://generativelanguage.googleapis.com/v1beta"

                    async def generate_text(self, prompt, max_tokens=2000, temperature=0.7, timeout=10):
                        for attempt in range(1 + self.max_retries):
                            try:
                                async with aiohttp.ClientSession() as s:
                                    async with s.post(self.base_url, json={"prompt": prompt}, timeout=timeout) as r:
                                        data = await r.json()
                                usage = data["usageMetadata"]
                                self.record(tokens_in=usage["promptTokenCount"], tokens_out=usage["candidatesTokenCount"])
                                return data["text"]
                            except asyncio.TimeoutError:
                                if attempt == self.max_retries:
                                    raise
                    max_retries = 1
                """, false);
        write(healthy.resolve("bot_service/commands.py"), """
                def register(application):
                    application.add_handler(CommandHandler("trends", trends_handler))
                    application.add_handler(CommandHandler("analyze", analyze_handler))
                """, false);
        write(healthy.resolve("logs/orchestrator.log"), """
                {"level": "INFO", "msg": "command received", "correlation_id": "9f1c2a"}
                {"level": "INFO", "msg": "analysis done", "correlation_id": "9f1c2a"}
                """, false);
        // the plan's own placeholder: every word of the criterion, in a signature and a docstring
        write(broken.resolve("core/ai_models/clients/gemini_client.py"), """
                class GeminiClient:
                    def __init__(self, api_key: str):
                        self.api_key = api_key
                        self.base_url = "https://generativelanguage.googleapis.com/v1beta"

                    async def generate_text(self, prompt: str, max_tokens: int = 2000, temperature: float = 0.7, timeout: int = 10) -> str:
                        \"\"\"
                        Generate text with Gemini 2.5 Pro
                        - Implement retry logic (max 2 retries)
                        - Track tokens_in, tokens_out, cost
                        - Raise timeout after 10s
                        \"\"\"
                        pass
                """, false);
        write(broken.resolve("bot_service/commands.py"), """
                def register(application):
                    # TODO wire: application.add_handler(CommandHandler("trends", trends_handler))
                    # TODO wire: application.add_handler(CommandHandler("analyze", analyze_handler))
                    pass
                """, false);
        write(broken.resolve("logs/orchestrator.log"), """
                {"level": "INFO", "msg": "command received", "correlation_id": null}
                INFO analysis done correlation_id=None
                """, false);
        // monitoring files, runbook, unit tests
        write(healthy.resolve("monitoring/alerts.yml"), ALERTS, false);
        write(broken.resolve("monitoring/alerts.yml"), ALERTS.replace("severity: critical", "severity: warning")
                .replace("- alert: BudgetWarning", "- alert: BudgetWatch"), false);
        write(healthy.resolve("alertmanager.yml"), "receivers:\n  - name: oncall\n    pagerduty_configs:\n      - routing_key: x\n", false);
        write(broken.resolve("alertmanager.yml"), "receivers:\n  - name: oncall\n    # pagerduty_configs: later\n", false);
        write(healthy.resolve("docs/RUNBOOK.md"), """
                # Phase 1 runbook
                ## Emergency contacts
                On-call: +65 6000 0000, #analysis-oncall
                ## High error rate
                ## High latency
                ## Model unavailable
                ## Degradation levels
                ## Rollback
                ## Canary
                """, false);
        write(broken.resolve("docs/RUNBOOK.md"), "# Runbook\n## Emergency contacts\nOn-call: [phone/slack]\nManager: [manager contact]\n", false);
        write(healthy.resolve("tests/unit/test_all.py"), UNIT_TESTS, false);
        write(broken.resolve("tests/unit/test_all.py"), UNIT_TESTS.replace("assert check(n)", "assert check(n) and n != 2"), false);

        mode = Mode.HEALTHY;
        String vars = "alertmanager_config=";
        assertThat(audit("analysis-bot", String.join(",", BOT), "app_dir=" + healthy, "gemini_url=" + url(), vars + healthy.resolve("alertmanager.yml")))
                .as("healthy").containsExactlyInAnyOrderEntriesOf(all(BOT, "pass"));
        mode = Mode.BROKEN;
        assertThat(audit("analysis-bot", String.join(",", BOT), "app_dir=" + broken, "gemini_url=" + url(), vars + broken.resolve("alertmanager.yml")))
                .as("broken").containsExactlyInAnyOrderEntriesOf(all(BOT, "fail"));
    }

    /** Every analysis-bot check this machine can stand up (not: the bot's process, coverage (no pytest-cov here), drills, sign-offs). */
    static final List<String> BOT = List.of("gemini-client-implemented", "gemini-api-reachable", "unit-tests-pass", "bot-handlers-wired",
            "no-critical-alert-firing", "fallback-and-degradation-tests-pass", "pii-and-date-tests-pass", "evidence-coverage",
            "schema-validation-pass-rate", "p95-simple", "p95-enhanced", "cost-per-command", "fallback-rate", "cache-hit-rate", "error-rate",
            "orchestrator-metrics-flowing", "dashboard-latency", "dashboard-cost", "dashboard-quality", "dashboard-reliability",
            "alerts-defined", "alerts-severities", "alerts-loaded", "alert-notifications-configured", "runbook-written",
            "runbook-contacts-filled", "correlation-ids-logged", "slo-p95-7d", "slo-error-rate-7d");

    static final String ALERTS = """
            groups:
              - name: phase1
                rules:
                  - alert: HighErrorRate
                    labels: {severity: critical}
                    expr: x
                  - alert: ModelUnavailable
                    labels:
                      severity: critical
                    expr: x
                  - alert: HighLatency
                    labels:
                      severity: critical
                    expr: x
                  - alert: LowCacheHitRate
                    labels:
                      severity: warning
                    expr: x
                  - alert: HighFallbackRate
                    labels:
                      severity: warning
                    expr: x
                  - alert: BudgetWarning
                    labels:
                      severity: warning
                    expr: x
            """;

    /** 40 unit tests named as the plan's: fallback, budget, PII and date-format tests among them (all pass; the broken copy fails some). */
    static final String UNIT_TESTS = """
            import pytest

            def check(n):
                return True

            @pytest.mark.parametrize("n", range(1, 31))
            def test_schemas_and_validators(n):
                assert check(n)

            @pytest.mark.parametrize("n", range(1, 3))
            def test_primary_timeout_triggers_fallback(n):
                assert check(n)

            @pytest.mark.parametrize("n", range(1, 3))
            def test_budget_degradation(n):
                assert check(n)

            @pytest.mark.parametrize("n", ["email", "phone", "ssn", "credit_card"])
            def test_pii_detection(n):
                assert check(n)

            @pytest.mark.parametrize("n", range(1, 3))
            def test_date_format_validation(n):
                assert check(n)
            """;

    private void analysis(HttpExchange ex, String path, String body) throws IOException {
        boolean ok = mode == Mode.HEALTHY;
        if (path.equals("/api/v1/query")) {
            // with the rules loaded, the ALERTS query counts firing critical alerts (none); without any
            // rule, its `and on() (sum(prometheus_rule_group_rules) >= 6)` leaves an empty vector
            prometheus(ex, body, List.of(new Series("ALERTS{", 0.0, null), new Series("mode=\"simple\"", 3.1, 6.2),
                    new Series("mode=\"enhanced\"", 9.0, 15.0), new Series("[7d])) by (le)", 8.0, 13.0),
                    new Series("orchestrator_cost_usd_total", 0.21, 0.74), new Series("orchestrator_fallback_total", 0.04, 0.22),
                    new Series("orchestrator_cache_hits_total", 0.41, 0.12), new Series("orchestrator_errors_total[1h]", 0.01, 0.05),
                    new Series("orchestrator_errors_total[7d]", 0.012, 0.031), new Series("insights_with_evidence", 0.97, 0.81),
                    new Series("orchestrator_validation_total", 1.0, 0.93), new Series("up{job=", 1.0, 0.0),
                    new Series("sum(prometheus_rule_group_rules)", 6.0, 2.0)));
        } else if (path.equals("/models")) {
            if (ok) send(ex, 200, "{\"models\":[{\"name\":\"models/gemini-2.5-pro\"}]}");
            else send(ex, 400, "{\"error\":{\"code\":400,\"message\":\"API key not valid\"}}");
        } else if (path.startsWith("/api/dashboards/uid/phase1-")) {
            String name = path.substring("/api/dashboards/uid/phase1-".length());
            String metric = switch (name) {
                case "latency" -> "orchestrator_latency_seconds_bucket";
                case "cost" -> "orchestrator_cost_usd_total";
                case "quality" -> "orchestrator_validation_total";
                default -> "orchestrator_errors_total";
            };
            StringBuilder panels = new StringBuilder();
            // broken: the dashboard exists under the right title, with one panel on something else
            int n = ok ? 5 : 1;
            for (int i = 0; i < n; i++) {
                if (i > 0) panels.append(',');
                panels.append("{\"title\":\"p").append(i).append("\",\"targets\":[{\"expr\":\"")
                        .append(ok ? "sum(rate(" + metric + "[5m]))" : "up").append("\"}]}");
            }
            send(ex, 200, "{\"dashboard\":{\"title\":\"" + name + "\",\"panels\":[" + panels + "]}}");
        } else {
            send(ex, 404, "{\"message\":\"Not found\"}");
        }
    }

    // ------------------------------------------------------------------------------------------
    // voice-agent (plan 004)
    // ------------------------------------------------------------------------------------------

    @Test
    void voiceAgent() throws Exception {
        start(this::voice);
        Path healthy = dir.resolve("voice-healthy");
        Path broken = dir.resolve("voice-broken");
        write(healthy.resolve("src/voice_bot.py"), """
                from src.cost.llm_cache import llm_cache
                from src.utils.debouncer import RequestDebouncer
                from src.dynamodb_service_optimized import OptimizedDynamoDBService

                browser_debouncer = RequestDebouncer(delay_seconds=2.0)
                dynamodb_service = OptimizedDynamoDBService()

                class CachedLLMService:
                    async def generate(self, prompt, **kwargs):
                        cached = llm_cache.get(prompt, model="claude")
                        if cached:
                            return cached
                        response = await self.llm.generate(prompt, **kwargs)
                        llm_cache.put(prompt, response, model="claude")
                        return response

                async def on_transcript(session_id, ctx):
                    await browser_debouncer.debounce(task_id=session_id, data=ctx, callback=push)
                """, false);
        write(healthy.resolve("logs/browser_agent.log"), """
                2025-11-20 10:00:01 INFO [correlation_id=test-correlation-123] execute started
                2025-11-20 10:00:02 INFO [correlation_id=test-correlation-123] form filled
                """, false);
        // the calls in comments, the debouncer only imported, the plan's commented-out DynamoDB line
        write(broken.resolve("src/voice_bot.py"), """
                from src.cost.llm_cache import llm_cache
                from src.utils.debouncer import RequestDebouncer
                # from src.dynamodb_service_optimized import OptimizedDynamoDBService
                # dynamodb_service = OptimizedDynamoDBService()

                async def generate(llm, prompt):
                    # TODO: cached = llm_cache.get(prompt, model="claude") ... llm_cache.put(prompt, response)
                    return await llm.generate(prompt)
                """, false);
        write(broken.resolve("logs/browser_agent.log"), """
                2025-11-20 10:00:01 INFO [correlation_id=None] execute started
                2025-11-20 10:00:02 INFO [correlation_id=None] form filled
                """, false);
        Files.writeString(healthy.resolve("logs/browser_agent.log"), "2025-11-20 10:00:03 WARN [correlation_id=tria-ready-probe] invalid request\n",
                java.nio.file.StandardOpenOption.APPEND);
        for (Path root : List.of(healthy, broken)) {
            write(root.resolve("src/__init__.py"), "", false);
            write(root.resolve("src/utils/debouncer.py"), "class RequestDebouncer: pass\n", false);
            write(root.resolve("tests/test_units.py"), VOICE_TESTS.replace("FAILING", root == healthy ? "0" : "4"), false);
        }
        write(healthy.resolve("src/utils/__init__.py"), "", false);
        write(healthy.resolve(".env"), "AWS_REGION=ap-southeast-1\nLOG_LEVEL=info\n", false);
        write(broken.resolve(".env"), "AWS_REGION=ap-southeast-1\nOPENAI_API_KEY=sk-x\n", false);

        mode = Mode.HEALTHY;
        // health-response-fast: the healthy run's bound is generous (this machine's speed is not under test);
        // the broken run fails on the 503 answers whatever the time
        assertThat(audit("voice-agent", String.join(",", VOICE), "app_dir=" + healthy, "frontend_port=" + port(), "max_health_avg_ms=5000"))
                .as("healthy").containsExactlyInAnyOrderEntriesOf(all(VOICE, "pass"));
        mode = Mode.BROKEN;
        Map<String, String> expected = all(VOICE, "fail");
        expected.put("llm-cache-hit-rate", "blocked");       // depends on llm-cache-hits
        expected.put("correlation-id-logged", "blocked");    // depends on structured-error
        expected.put("browser-agent-metrics", "pass");       // its metrics are there; too few form types work (form-types-*)
        assertThat(audit("voice-agent", String.join(",", VOICE), "app_dir=" + broken, "frontend_port=" + closedPort()))
                .as("broken").containsExactlyInAnyOrderEntriesOf(expected);
    }

    /** Every voice-agent check this machine can stand up (not: the services' processes, bandit/safety/aws, coverage, drills, sign-offs). */
    static final List<String> VOICE = List.of("frontend-listening", "browser-agent-health", "voice-bot-health", "frontend-serves-html",
            "browser-agent-metrics", "voice-bot-metrics", "form-types-3-working", "logs-have-correlation-ids", "unit-tests-80",
            "form-types-all-working", "llm-cache-wired", "llm-cache-hits", "llm-cache-hit-rate", "debouncing-wired", "core-functions-tracked",
            "prometheus-scraping", "unit-tests-85", "response-time", "structured-error", "correlation-id-echoed", "correlation-id-logged",
            "packages-have-init", "grafana-dashboards", "swagger-ui", "optimized-dynamodb-service-used", "health-response-fast",
            "secrets-out-of-env-file");

    /** 20 unit tests, FAILING of them failing: 0 (100 %) healthy, 4 (80 %, not more than 80 %) broken. */
    static final String VOICE_TESTS = """
            import pytest

            @pytest.mark.parametrize("n", range(20))
            def test_unit(n):
                assert n >= FAILING
            """;

    private void voice(HttpExchange ex, String path, String body) throws IOException {
        boolean ok = mode == Mode.HEALTHY;
        switch (path) {
            case "/api/health" -> {
                String cid = ex.getRequestHeaders().getFirst("X-Correlation-ID");
                if (ok && cid != null) ex.getResponseHeaders().set("X-Correlation-ID", cid);
                if (!ok) pause(150);   // slow and unhealthy
                send(ex, ok ? 200 : 503, "{\"status\":\"" + (ok ? "ok" : "starting") + "\"}");
            }
            case "/health" -> send(ex, ok ? 200 : 500, "{}");
            case "/" -> sendAs(ex, ok ? 200 : 404, "text/html", ok ? "<!doctype html><html><body>VPBank</body></html>" : "Cannot GET /");
            case "/docs" -> sendAs(ex, ok ? 200 : 404, "text/html", ok ? "<html><title>Swagger UI</title></html>" : "404: Not Found");
            case "/api/execute" -> {
                if (ok) send(ex, 400, "{\"error\":\"validation_error\",\"detail\":\"user_message is required\"}");
                else sendAs(ex, 500, "text/plain", "Internal Server Error");
            }
            case "/api/search" -> send(ex, 200, ok ? "[{\"uid\":\"vpbank\",\"title\":\"Voice agent\",\"type\":\"dash-db\"}]" : "[]");
            case "/api/v1/query" -> {
                String result = ok ? "[{\"metric\":{\"job\":\"voice-bot\"},\"value\":[1733500000,\"1\"]},"
                        + "{\"metric\":{\"job\":\"browser-agent\"},\"value\":[1733500000,\"1\"]}]"
                        : "[{\"metric\":{\"job\":\"voice-bot\"},\"value\":[1733500000,\"1\"]},"
                        + "{\"metric\":{\"job\":\"browser-agent\"},\"value\":[1733500000,\"0\"]}]";
                send(ex, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":" + result + "}}");
            }
            case "/metrics" -> {
                StringBuilder m = new StringBuilder();
                String[] forms = ok ? new String[] {"loan", "crm", "hr", "compliance", "operations"} : new String[] {"loan", "crm"};
                m.append("# TYPE vpbank_voice_agent_browser_sessions_total counter\n");
                for (String f : forms) m.append("vpbank_voice_agent_browser_sessions_total{form_type=\"").append(f).append("\",status=\"success\"} 3\n");
                m.append("vpbank_voice_agent_browser_sessions_total{form_type=\"hr\",status=\"error\"} 2\n");
                if (ok) {
                    m.append("# TYPE vpbank_voice_agent_voice_sessions_total counter\nvpbank_voice_agent_voice_sessions_total 4\n");
                    m.append("# TYPE vpbank_voice_agent_stt_request_duration_seconds histogram\n")
                            .append("vpbank_voice_agent_stt_request_duration_seconds_bucket{le=\"+Inf\"} 4\n")
                            .append("vpbank_voice_agent_stt_request_duration_seconds_sum 2.0\nvpbank_voice_agent_stt_request_duration_seconds_count 4\n");
                }
                m.append("# TYPE vpbank_voice_agent_llm_cache_hits_total counter\nvpbank_voice_agent_llm_cache_hits_total ").append(ok ? 30 : 0).append('\n');
                m.append("# TYPE vpbank_voice_agent_llm_cache_misses_total counter\nvpbank_voice_agent_llm_cache_misses_total ").append(ok ? 70 : 100).append('\n');
                m.append("# TYPE vpbank_voice_agent_llm_request_duration_seconds histogram\n")
                        .append("vpbank_voice_agent_llm_request_duration_seconds_bucket{le=\"+Inf\"} 10\n")
                        .append("vpbank_voice_agent_llm_request_duration_seconds_sum ").append(ok ? 12.0 : 48.0).append('\n')
                        .append("vpbank_voice_agent_llm_request_duration_seconds_count 10\n");
                sendText(ex, m.toString());
            }
            default -> send(ex, 404, "{\"detail\":\"Not Found\"}");
        }
    }

    // ------------------------------------------------------------------------------------------

    interface Handler {
        void handle(HttpExchange ex, String path, String body) throws IOException;
    }

    private void start(Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.createContext("/", ex -> {
            try {
                handler.handle(ex, ex.getRequestURI().getPath(), new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                send(ex, 500, "{\"detail\":\"" + e + "\"}");
            }
        });
        server.start();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private static int closedPort() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** One series a Prometheus stand-in answers for queries containing {@code key}: its value when healthy, when broken (null: no series). */
    record Series(String key, Double healthy, Double broken) {}

    /** Answers /api/v1/query as Prometheus does: the first series whose key the query contains, else an empty vector. */
    private void prometheus(HttpExchange ex, String body, List<Series> table) throws IOException {
        String query = java.net.URLDecoder.decode(body.replaceFirst("(^|.*&)query=", "").replaceFirst("&.*", ""), StandardCharsets.UTF_8);
        Double value = null;
        for (Series series : table) {
            if (query.contains(series.key())) {
                value = mode == Mode.HEALTHY || mode == Mode.BROKEN_BEHAVIOUR || mode == Mode.NO_CACHE ? series.healthy() : series.broken();
                break;
            }
        }
        String result = value == null ? "[]" : "[{\"metric\":{},\"value\":[1733500000,\"" + value + "\"]}]";
        send(ex, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":" + result + "}}");
    }

    /** One audit of the bundled playbook on this machine, every URL pointing at the stand-in: the outcome of each check run (not the skipped ones). */
    private Map<String, String> audit(String playbook, String only, String... vars) throws IOException {
        return audit(playbook, null, only, vars);
    }

    /**
     * Checks observed at once: 8 in {@code mvn verify}; {@code -Dseeds.concurrency=200} runs the same
     * healthy and broken audits at -j 200 (an outcome must not depend on -j).
     */
    private static final String CONCURRENCY = System.getProperty("seeds.concurrency", "8");

    private Map<String, String> audit(String playbook, Database db, String only, String... vars) throws IOException {
        Path inv = dir.resolve("inventory.yaml");
        Files.writeString(inv, "targets:\n  local:\n    http: {base_url: \"" + url() + "\"}\n    prometheus: {url: \"" + url() + "\"}\n"
                + (db == null ? "" : "    postgres: {url: \"" + db.url() + "\", user: postgres}\n"));
        List<String> args = new ArrayList<>(List.of("audit", "--playbook", playbook, "-i", inv.toString(), "-t", "local", "--only", only,
                "--store", dir.resolve("store").toString(), "-q", "-o", dir.resolve("result.json").toString(), "-j", CONCURRENCY,
                "--var", "python=" + PYTHON, "--var", "grafana_url=" + url(), "--var", "service_url=" + url(),
                "--var", "browser_agent_url=" + url(), "--var", "voice_bot_url=" + url(), "--var", "frontend_url=" + url()));
        for (String v : vars) {
            args.add("--var");
            args.add(v);
        }
        Cli r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.out() + r.err()).isIn(0, 1);
        Map<String, String> status = new HashMap<>();
        new ObjectMapper().readTree(dir.resolve("result.json").toFile()).path("checks")
                .forEach(c -> {
                    if (!c.path("status").asText().equals("skipped")) status.put(c.path("id").asText(), c.path("status").asText());
                    if (!c.path("status").asText().matches("pass|fail|skipped|blocked"))    // shown when an assertion fails
                        System.err.println(playbook + " " + c.path("id").asText() + ": " + c.path("status").asText() + " " + c.path("message").asText());
                });
        return status;
    }

    private static Map<String, String> all(List<String> ids, String status) {
        Map<String, String> m = new HashMap<>();
        for (String id : ids) m.put(id, status);
        return m;
    }

    private static void write(Path file, String text, boolean executable) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange ex, int code, String body) throws IOException {
        sendAs(ex, code, "application/json", body);
    }

    private static void sendAs(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] data = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, data.length);
        ex.getResponseBody().write(data);
        ex.close();
    }

    private static void sendText(HttpExchange ex, String body) throws IOException {
        byte[] data = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
        ex.sendResponseHeaders(200, data.length);
        ex.getResponseBody().write(data);
        ex.close();
    }
}

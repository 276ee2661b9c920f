package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.triaready.checks.command.CommandCheckType;
import io.triaready.core.playbook.CheckDef;
import io.triaready.core.playbook.FixDef;
import io.triaready.core.playbook.Phase;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.spi.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled playbooks (playbooks/*.yaml, listed in index.txt) as a user gets them from the jar:
 * each validates, shows the phases its plan has, keeps the fixes and categories the plan asks for,
 * and keeps every measurable criterion of its plan as a check (or a note saying why it cannot be
 * one), so that a later edit cannot silently drop one.
 */
class BundledPlaybooksTest {
    @TempDir
    Path dir;

    /** The seed plans each playbook encodes (named in its header comment). */
    static final Map<String, List<String>> PLANS = Map.of(
            "tria-aibpo", List.of("000_d93a0b37cec48667.txt", "001_19f9ec6c35731a16.txt"),
            "rag-gateway", List.of("002_f372e56ef6558d15.txt"),
            "analysis-bot", List.of("003_b3b8adcf7c307c29.txt"),
            "voice-agent", List.of("004_8171515c409e2f6a.txt"));

    /**
     * A plan criterion and where it went: the check ids that encode it, or (no ids) the words of the
     * YAML comment that says why no machine can check it. The same table is in docs/playbooks.md.
     */
    record Criterion(String text, List<String> checks, String note) {
        static Criterion of(String text, String... checks) { return new Criterion(text, List.of(checks), null); }

        static Criterion note(String text, String noteInYaml) { return new Criterion(text, List.of(), noteInYaml); }
    }

    static final Map<String, List<Criterion>> COVERAGE = new LinkedHashMap<>();

    static {
        COVERAGE.put("tria-aibpo", List.of(
                // plan 000, success criteria and checklist
                Criterion.of("P0: /health shows ChromaDB \"connected\"", "chromadb-connected"),
                Criterion.of("P0: Chatbot API returns valid responses", "chatbot-answers"),
                Criterion.of("P0: No 404 on /metrics", "metrics-exposed"),
                Criterion.of("1.3: /docs, /openapi.json, /api/v1/cache/stats reachable", "docs-exposed", "openapi-exposed", "cache-stats-exposed"),
                Criterion.of("P0: Auto-restart configured and tested", "auto-restart-configured", "auto-restart-tested", "backend-running"),
                Criterion.of("1.4: health-check script and cron", "healthcheck-script", "health-check-cron"),
                Criterion.of("P1: All products have embeddings", "products-have-embeddings"),
                Criterion.of("2.1: outlets", "outlets-loaded"),
                Criterion.of("P1: All ChromaDB collections populated", "chromadb-collections-populated"),
                Criterion.of("2.3: required environment variables", "env-vars-present", "env-file-private"),
                Criterion.of("P1: Monitoring stack deployed", "prometheus-healthy", "grafana-healthy", "alertmanager-healthy"),
                Criterion.of("3.2: alert channels", "alert-channels-configured", "alert-rules-defined"),
                Criterion.of("P1: All test scripts pass", "smoke-tests-pass", "integration-tests-pass"),
                Criterion.of("4.2: health endpoint returns all services healthy", "health-all-services"),
                Criterion.of("4.2: chatbot responds to a product inquiry", "product-inquiry-answered"),
                Criterion.of("4.2: order request creates a Xero invoice", "order-flow-chat", "order-flow-recorded", "order-invoiced-in-xero"),
                Criterion.of("4.2: conversation history is saved", "context-retained"),
                Criterion.of("4.2: cache is working (second request faster)", "cache-second-request-fast"),
                Criterion.of("P2: data dictionary created", "data-dictionary"),
                Criterion.of("P2: CLAUDE.md updated with enforcement", "claude-md-enforcement"),
                Criterion.of("P2: scripts README complete", "scripts-readme-complete"),
                Criterion.of("P2: documentation audit complete", "documentation-audit"),
                // plan 001, the 100-point score
                Criterion.of("Functional: products loaded (160)", "products-loaded"),
                Criterion.of("Functional: multi-turn context working", "context-turn-1", "context-retained"),
                Criterion.of("Functional: end-to-end order flow", "order-flow-chat", "order-flow-recorded", "order-invoiced-in-xero"),
                Criterion.of("Functional: RAG accuracy >90%", "rag-accuracy-verified"),
                Criterion.of("Performance: response time <5s P50", "latency-p50"),
                Criterion.of("Performance: response time <10s P95", "latency-p95"),
                Criterion.of("Performance: cache hit rate 30-50%", "cache-hit-rate"),
                Criterion.of("Performance: load testing 10 users, 0 errors", "load-test-10-users"),
                Criterion.of("Quality: all benchmarks passing", "benchmarks-pass"),
                Criterion.of("Quality: security tests passing", "rate-limit-429", "input-validation-empty-message",
                        "input-validation-missing-fields", "xss-sanitized", "sql-injection-harmless", "orders-table-intact"),
                Criterion.of("Quality: error handling verified", "db-down-graceful", "error-handling-verified",
                        "input-validation-empty-message", "input-validation-missing-fields"),
                Criterion.of("Quality: no hardcoding, no mocking, no fallbacks", "no-hardcoded-keys", "no-hardcoded-urls",
                        "no-fallback-values", "no-bare-except", "no-mocks-in-src", "single-db-engine", "centralized-config", "no-duplicate-functions"),
                Criterion.of("Integration: Xero working", "xero-connected"),
                Criterion.of("Integration: all services healthy", "health-all-services", "redis-up", "postgres-reachable"),
                Criterion.of("Integration: monitoring working", "prometheus-scrapes-backend", "metrics-exposed"),
                Criterion.of("Integration: deployment ready", "backend-running", "backend-answers", "auto-restart-configured", "tls-certificate"),
                Criterion.note("Cost reduction 50-70%", "Cost reduction 50-70%"),
                Criterion.of("Test 7: database down (drill), OpenAI down (sign-off)", "db-down-graceful", "error-handling-verified")));
        COVERAGE.put("rag-gateway", List.of(
                Criterion.of("Cached response time <1s", "cached-response-time"),
                Criterion.of("Uncached response time <5s", "assistant-answers", "p99-latency"),
                Criterion.of("Cache hit rate >60%", "cache-hit-rate", "cache-up"),
                Criterion.of("API cost per day <$50", "daily-cost"),
                Criterion.of("Error rate <1%", "error-rate"),
                Criterion.of("P99 latency <5s", "p99-latency"),
                Criterion.of("1. Functional completeness", "assistant-answers"),
                Criterion.note("2. Security hardening (anti-leak)", "anti-leak protection"),
                Criterion.of("3. Abuse prevention: rate limiting 10/min", "gateway-rate-limit"),
                Criterion.of("3. Abuse prevention: 100/hour (drill)", "gateway-rate-limit-hourly"),
                Criterion.of("4. Cost optimization: caching", "cache-hit-rate"),
                Criterion.of("5. Observability: metrics & alerts", "semantic-metrics-exposed", "alert-rules-loaded"),
                Criterion.of("6. Fault tolerance: circuit breakers", "circuit-breaker-present", "circuit-breaker-closed"),
                Criterion.note("7. Performance: 90% latency reduction", "90% latency reduction"),
                Criterion.of("8. Debugging: tracing, correlation ids", "correlation-id-returned"),
                Criterion.of("9. Budget control: cost tracking", "cost-metrics-exposed", "daily-cost"),
                Criterion.of("Gateway-first: service rate limiter and its dependencies removed", "rate-limiter-code-removed",
                        "rate-limiting-out-of-routes", "gateway-dependencies-removed"),
                Criterion.note("Edge caching moved to the gateway", "Edge caching"),
                Criterion.note("Query cache 24h TTL, embedding cache 7d TTL", "24h TTL"),
                Criterion.note("Week 2: load and integration testing", "Load testing")));
        COVERAGE.put("analysis-bot", List.of(
                Criterion.of("All 4 commands work end-to-end from bot", "e2e-tests-pass", "bot-handlers-wired", "bot-running"),
                Criterion.note("All 4 commands end-to-end (no Telegram user in an audit)", "All 4 commands work end-to-end from bot"),
                Criterion.of("Gemini client with timeout/retry/quota", "gemini-client-implemented", "gemini-api-reachable"),
                Criterion.of("Fallback chains tested and working", "fallback-and-degradation-tests-pass"),
                Criterion.of("Degradation logic on budget/timeout", "fallback-and-degradation-tests-pass"),
                Criterion.of("Evidence coverage >= 95%", "evidence-coverage"),
                Criterion.of("Schema validation 100% pass rate", "schema-validation-pass-rate"),
                Criterion.of("PII detection blocks all test patterns; date format enforced", "pii-and-date-tests-pass"),
                Criterion.of("P95 simple <= 5s, enhanced <= 12s", "p95-simple", "p95-enhanced"),
                Criterion.of("Cost/command <= $0.50 (7-day average)", "cost-per-command"),
                Criterion.of("Fallback rate <= 10%", "fallback-rate"),
                Criterion.of("Cache hit-rate >= 30%", "cache-hit-rate"),
                Criterion.of("4 Grafana dashboards live", "dashboard-latency", "dashboard-cost", "dashboard-quality", "dashboard-reliability"),
                Criterion.of("Metrics flowing from orchestrator", "orchestrator-metrics-flowing"),
                Criterion.of("6 Prometheus alerts (3 P1, 3 P2)", "alerts-defined", "alerts-severities", "alerts-loaded"),
                Criterion.of("Notifications sent to Slack/PagerDuty", "alert-notifications-configured", "alert-notifications-tested"),
                Criterion.of("Runbook written and reviewed, contacts updated", "runbook-written", "runbook-reviewed", "runbook-contacts-filled"),
                Criterion.of("Procedures tested in staging, rollback tested", "runbook-procedures-tested"),
                Criterion.of("Correlation IDs tracked end-to-end", "correlation-ids-logged"),
                Criterion.of("Unit tests: 35 pass, coverage >= 80%", "unit-tests-pass", "unit-test-coverage"),
                Criterion.of("Integration tests: 18 pass", "integration-tests-pass"),
                Criterion.of("Test coverage >= 70% overall", "test-coverage-overall"),
                Criterion.of("Error rate <= 2%", "error-rate"),
                Criterion.of("Canary 10% passes (no alerts fired)", "canary-10-passed", "no-critical-alert-firing"),
                Criterion.of("Canary 30% passes", "canary-30-passed"),
                Criterion.of("Full rollout 100%", "full-rollout"),
                Criterion.of("SLO maintained 7 days, no P1 incidents", "slo-p95-7d", "slo-error-rate-7d", "no-p1-incidents"),
                Criterion.of("Post-mortem completed", "post-mortem-completed"),
                Criterion.of("Task 5.2 load test, success rate >= 95% (drill)", "load-test-20-concurrent"),
                Criterion.note("CI/CD pipeline green", "CI/CD pipeline green"),
                Criterion.note("Business metrics", "Business metrics")));
        COVERAGE.put("voice-agent", List.of(
                Criterion.of("Must: all services start without errors", "browser-agent-running", "voice-bot-running", "frontend-listening"),
                Criterion.of("Must: health checks return 200", "browser-agent-health", "voice-bot-health", "frontend-serves-html"),
                Criterion.of("Must: voice conversation works end-to-end", "voice-conversation-e2e"),
                Criterion.of("Must: at least 3/5 form types working", "form-types-3-working"),
                Criterion.of("Must: metrics endpoints accessible", "browser-agent-metrics", "voice-bot-metrics"),
                Criterion.of("Must: logs written with correlation IDs", "logs-have-correlation-ids"),
                Criterion.of("Must: no critical security vulnerabilities", "no-critical-vulnerabilities"),
                Criterion.of("Must: >80% unit tests passing", "unit-tests-80"),
                Criterion.of("Should: all 5 form types working", "form-types-all-working"),
                Criterion.of("Should: LLM cache showing hits", "llm-cache-hits"),
                Criterion.of("Should: debouncing reducing calls", "debouncing-wired"),
                Criterion.of("Should: debouncing reducing calls (drill: 10 rapid requests)", "debounce-drill"),
                Criterion.of("Should: Prometheus scraping successful", "prometheus-scraping"),
                Criterion.of("Should: >85% unit tests passing", "unit-tests-85"),
                Criterion.of("Should: integration tests passing", "integration-tests-pass"),
                Criterion.of("Should: performance acceptable (<2s)", "response-time"),
                Criterion.of("Nice: Grafana dashboards configured", "grafana-dashboards"),
                Criterion.note("Nice: CI/CD pipeline passing", "CI/CD pipeline passing"),
                Criterion.of("Nice: Swagger UI working", "swagger-ui"),
                Criterion.of("Nice: DynamoDB GSI deployed", "dynamodb-gsi-active", "optimized-dynamodb-service-used"),
                Criterion.of("Nice: 90%+ test coverage", "test-coverage-90"),
                Criterion.of("Success 1: all tests passing (>85% coverage)", "test-coverage", "unit-tests-85"),
                Criterion.of("Success 3: metrics verified and monitoring set up", "core-functions-tracked", "prometheus-scraping"),
                Criterion.of("Success 4: LLM caching reducing costs 20-30%", "llm-cache-hit-rate", "llm-cache-wired"),
                Criterion.of("Success 6: no critical security issues", "no-critical-vulnerabilities", "dependency-scan-clean"),
                Criterion.of("Success 8: documentation complete", "documentation-complete"),
                Criterion.of("Success 10: team trained on deployment", "team-trained"),
                Criterion.of("Phase 1: dependencies, imports, __init__.py", "dependencies-installed", "imports-ok", "packages-have-init"),
                Criterion.of("Task 4.1: incremental and one-shot modes", "form-filling-modes"),
                Criterion.of("Task 4.3: correlation id verification", "correlation-id-echoed", "correlation-id-logged"),
                Criterion.of("Validation 9: invalid request gets a structured error", "structured-error"),
                Criterion.of("Task 4.4: /api/health <100ms average", "health-response-fast"),
                Criterion.of("Task 5.3: secrets out of .env", "secrets-out-of-env-file"),
                Criterion.of("Day 5: final testing and sign-off", "final-sign-off"),
                Criterion.of("Task 4.4: 100 identical prompts, 10 rapid requests (drills)", "llm-cache-drill", "debounce-drill")));
    }

    private static Playbook load(String name) {
        return Loading.playbook(name, PlaybookLoader.Options.forValidate(Target.local(), Map.of()));
    }

    private static String yaml(String name) throws IOException {
        try (InputStream in = Bundled.open(name)) {
            assertThat(in).as("bundled playbook %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyBundledPlaybookValidates() {
        List<String> names = Bundled.names();
        assertThat(names).containsExactly("baseline", "baseline-tls", "tria-aibpo", "rag-gateway", "analysis-bot", "voice-agent");
        for (String name : names) {
            Cli v = Cli.run("validate", name);
            assertThat(v.exit()).as(name + ": " + v.err()).isZero();
            assertThat(v.out()).contains("ok    bundled:" + name + ": ");
        }
    }

    @Test
    void listShowsEveryPhaseOfEachPlan() {
        for (String name : PLANS.keySet()) {
            Cli list = Cli.run("list", "--playbook", name);
            assertThat(list.exit()).as(name + ": " + list.err()).isZero();
            for (Phase phase : Phase.values()) {
                assertThat(list.out()).as(name).containsPattern("(?m)^" + phase.name() + " \\(\\d+\\)$");
            }
        }
        Cli aibpo = Cli.run("list", "--playbook", "tria-aibpo");
        assertThat(aibpo.out()).contains("chromadb-connected").contains("fix: chromadb").contains("Fixes (6)");
    }

    @Test
    void headerNamesThePlanAndHowToRun() throws IOException {
        for (var e : PLANS.entrySet()) {
            String text = yaml(e.getKey());
            String header = text.substring(0, text.indexOf("\nplaybook:"));
            for (String plan : e.getValue()) assertThat(header).as(e.getKey()).contains(plan);
            // a seed is named by its file name, not by where one machine keeps it
            assertThat(header).as(e.getKey()).doesNotContain("/work/").doesNotContainPattern("(^|\\s)/\\S*seeds/");
            assertThat(header).as(e.getKey()).contains("tria-ready audit --playbook " + e.getKey());
        }
    }

    @Test
    void triaAibpoScoresAsThePlanAndKeepsItsFixes() {
        Playbook pb = load("tria-aibpo");
        assertThat(pb.categories()).containsExactly(Map.entry("functional", 40.0), Map.entry("performance", 30.0),
                Map.entry("quality", 20.0), Map.entry("integration", 10.0));
        assertThat(pb.fixes().stream().map(FixDef::id))
                .contains("chromadb", "nginx-monitoring-routes", "auto-restart", "health-check-cron", "xero-token");
        assertThat(pb.fix("xero-token").orElseThrow().isManual()).isTrue();
        for (String id : List.of("chromadb", "nginx-monitoring-routes", "auto-restart", "health-check-cron")) {
            FixDef f = pb.fix(id).orElseThrow();
            assertThat(f.isManual()).as(id).isFalse();
            assertThat(pb.checksRepairedBy(f)).as("checks repaired by " + id).isNotEmpty();
        }
        assertThat(pb.fix("chromadb").orElseThrow().verify()).contains("chromadb-connected");
        assertThat(pb.fix("auto-restart").orElseThrow().rollback()).isNotEmpty();
        assertThat(pb.fix("nginx-monitoring-routes").orElseThrow().rollback()).isNotEmpty();
        // the chatbot cascades from ChromaDB, as the plan says
        assertThat(pb.check("chatbot-answers").orElseThrow().dependsOn()).contains("chromadb-connected");
        assertThat(pb.check("chromadb-connected").orElseThrow().fix()).isEqualTo("chromadb");
    }

    @Test
    void everyCriterionOfEachPlanIsACheckOrANote() throws IOException {
        for (var e : COVERAGE.entrySet()) {
            Playbook pb = load(e.getKey());
            Set<String> ids = pb.checks().stream().map(CheckDef::id).collect(Collectors.toSet());
            String text = yaml(e.getKey());
            for (Criterion c : e.getValue()) {
                if (c.note() != null) {
                    assertThat(text).as(e.getKey() + ": the note on '" + c.text() + "'").contains(c.note());
                } else {
                    assertThat(ids).as(e.getKey() + ": '" + c.text() + "'").containsAll(c.checks());
                }
            }
        }
    }

    @Test
    void docsCarryTheSameCoverageTable() throws IOException {
        Path doc = Path.of("..", "docs", "playbooks.md");
        assertThat(doc).exists();
        String text = Files.readString(doc);
        for (var e : COVERAGE.entrySet()) {
            assertThat(text).contains("tria-ready audit --playbook " + e.getKey());
            for (Criterion c : e.getValue()) {
                for (String id : c.checks()) assertThat(text).as(e.getKey() + " " + id).contains("`" + id + "`");
            }
        }
    }

    @Test
    void whatNoMachineCanJudgeIsASignOff() {
        Map<String, List<String>> attested = Map.of(
                "tria-aibpo", List.of("rag-accuracy-verified", "error-handling-verified", "documentation-audit", "order-invoiced-in-xero"),
                "analysis-bot", List.of("runbook-reviewed", "canary-10-passed", "no-p1-incidents", "post-mortem-completed"),
                "voice-agent", List.of("voice-conversation-e2e", "team-trained", "documentation-complete", "final-sign-off"));
        attested.forEach((name, checks) -> {
            Playbook pb = load(name);
            for (String id : checks) assertThat(pb.check(id).orElseThrow().type()).as(name + " " + id).isEqualTo("attest");
        });
    }

    @Test
    void whatWouldHarmProductionOnlyRunsWithDestructive() {
        Map<String, List<String>> harmful = Map.of(
                "tria-aibpo", List.of("auto-restart-tested", "rate-limit-429", "load-test-10-users", "sql-injection-harmless",
                        "order-flow-chat", "smoke-tests-pass", "benchmarks-pass", "db-down-graceful"),
                "rag-gateway", List.of("gateway-rate-limit-hourly"),
                "analysis-bot", List.of("integration-tests-pass", "e2e-tests-pass", "test-coverage-overall", "load-test-20-concurrent"),
                "voice-agent", List.of("integration-tests-pass", "llm-cache-drill", "debounce-drill"));
        harmful.forEach((name, checks) -> {
            Playbook pb = load(name);
            for (String id : checks) assertThat(pb.check(id).orElseThrow().destructive()).as(name + " " + id).isTrue();
        });
        // a normal audit skips destructive checks; a check depending on one would be BLOCKED forever
        for (String name : Bundled.names()) {
            Playbook pb = load(name);
            for (CheckDef c : pb.checks()) {
                if (c.destructive()) continue;
                for (String dep : c.dependsOn()) {
                    assertThat(pb.check(dep).orElseThrow().destructive()).as(name + ": " + c.id() + " depends on destructive " + dep).isFalse();
                }
            }
        }
    }

    @Test
    void seedPlaybookChecksHaveATitleAndTags() {
        for (String name : PLANS.keySet()) {
            for (CheckDef c : load(name).checks()) {
                assertThat(c.title()).as(name + " " + c.id()).isNotEqualTo(c.id());
                assertThat(c.tags()).as(name + " " + c.id()).isNotEmpty();
            }
        }
    }

    /** Source greps for credentials print file:line only: the matched text (a key) must not reach a report. */
    @Test
    void sourceGrepsPrintLocationsNotMatches() {
        Playbook pb = load("tria-aibpo");
        for (String id : List.of("no-hardcoded-keys", "no-hardcoded-urls", "no-fallback-values", "no-bare-except", "no-mocks-in-src")) {
            String run = ((CommandCheckType.CommandProbe) pb.check(id).orElseThrow().probe()).run();
            assertThat(run).as(id).contains("grep -rn").endsWith("| cut -d: -f1,2");
        }
    }

    @Test
    void exampleInventoryHasATargetForEachPlaybookAndNoSecrets() throws IOException {
        Path inv = dir.resolve("targets.yaml");
        try (InputStream in = BundledPlaybooksTest.class.getResourceAsStream("/playbooks/examples/targets.yaml")) {
            assertThat(in).as("examples/targets.yaml is packaged").isNotNull();
            Files.write(inv, in.readAllBytes());
        }
        Map<String, List<String>> pairs = Map.of(
                "tria-prod", List.of("tria-aibpo", "baseline", "baseline-tls"),
                "tria-staging", List.of("tria-aibpo", "baseline-tls"),
                "scribes-prod", List.of("rag-gateway", "baseline-tls"),
                "analysis-prod", List.of("analysis-bot"),
                "voice-staging", List.of("voice-agent"),
                "local", List.of("voice-agent", "baseline"));
        pairs.forEach((target, playbooks) -> {
            // the targets' secrets are not in this test's environment: validate their shape only
            List<String> args = new ArrayList<>(List.of("validate", "--no-secrets", "-i", inv.toString(), "-t", target));
            args.addAll(playbooks);
            Cli v = Cli.run(args.toArray(String[]::new));
            assertThat(v.exit()).as(target + ": " + v.err()).isZero();
        });
        // every secret-looking setting reads the environment
        String text = Files.readString(inv);
        Matcher m = Pattern.compile("(?m)\\b(password|sudo_password|passphrase|token|api_token|grafana_token|gemini_api_key):\\s*(\\S+)").matcher(text);
        int secrets = 0;
        while (m.find()) {
            secrets++;
            assertThat(m.group(2)).as(m.group(0)).startsWith("\"${env:");
        }
        assertThat(secrets).isGreaterThanOrEqualTo(8);
    }

    @Test
    void baselineRunsOnThisMachineWithoutAnInventory() throws IOException {
        Path json = dir.resolve("baseline.json");
        Cli r = Cli.run("audit", "--playbook", "baseline", "--store", dir.resolve("store").toString(), "-q", "-o", json.toString());
        assertThat(r.exit()).as(r.err()).isIn(0, 1);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.path("target").path("name").asText()).isEqualTo("local");
        Map<String, String> status = new HashMap<>();
        root.path("checks").forEach(c -> status.put(c.path("id").asText(), c.path("status").asText()));
        assertThat(status).hasSize(load("baseline").checks().size());
        // Linux facts every machine has: observed, so a pass or a fail, never an error
        for (String id : List.of("disk-root-space", "memory-available", "memory-available-amount", "tmp-writable", "redis-not-on-all-interfaces")) {
            assertThat(status.get(id)).as(id).isIn("pass", "fail");
        }
        assertThat(status.values()).allMatch(s -> Set.of("pass", "fail", "error").contains(s));
    }

    /**
     * The HTTP half of tria-aibpo against a real server shaped like the plan's backend: broken as
     * the plan found it (ChromaDB not initialised, chatbot apologising, /metrics and /openapi.json
     * answering the front end's HTML 404), then repaired.
     */
    @Test
    void triaAibpoHttpChecksTellBrokenFromRepaired() throws Exception {
        AtomicBoolean repaired = new AtomicBoolean(false);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            boolean ok = repaired.get();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            switch (path) {
                case "/health" -> send(ex, 200, "application/json",
                        "{\"status\":\"healthy\",\"chromadb\":\"" + (ok ? "connected" : "not_initialized") + "\",\"xero\":\"connected\"}");
                case "/api/chatbot" -> {
                    if (body.contains("\"message\":\"\"")) send(ex, 400, "application/json", "{\"detail\":\"message is required\"}");
                    else if (ok) send(ex, 200, "application/json", "{\"response\":\"Hello! How can I help?\"}");
                    else send(ex, 500, "application/json", "{\"detail\":\"I apologize, but I'm having trouble processing your request right now...\"}");
                }
                case "/metrics" -> {
                    if (ok) send(ex, 200, "text/plain; version=0.0.4", "# TYPE http_requests_total counter\nhttp_requests_total 3\n");
                    else send(ex, 404, "text/html", "<html><body>404: This page could not be found.</body></html>");
                }
                case "/openapi.json" -> {
                    if (ok) send(ex, 200, "application/json", "{\"openapi\":\"3.1.0\"}");
                    else send(ex, 404, "text/html", "<html><body>404: This page could not be found.</body></html>");
                }
                default -> send(ex, 404, "text/html", "<html>404</html>");
            }
        });
        server.start();
        try {
            Path inv = dir.resolve("inv.yaml");
            Files.writeString(inv, "targets:\n  web:\n    http: {base_url: \"http://127.0.0.1:" + server.getAddress().getPort() + "\"}\n");
            String only = "chromadb-connected,chatbot-answers,health-all-services,xero-connected,metrics-exposed,openapi-exposed,input-validation-empty-message";
            Map<String, String> broken = audit(inv, only);
            assertThat(broken).containsEntry("chromadb-connected", "fail").containsEntry("chatbot-answers", "blocked")
                    .containsEntry("health-all-services", "fail").containsEntry("xero-connected", "pass")
                    .containsEntry("metrics-exposed", "fail").containsEntry("openapi-exposed", "fail")
                    .containsEntry("input-validation-empty-message", "pass");
            repaired.set(true);
            Map<String, String> fixed = audit(inv, only);
            assertThat(fixed).containsEntry("chromadb-connected", "pass").containsEntry("chatbot-answers", "pass")
                    .containsEntry("health-all-services", "pass").containsEntry("metrics-exposed", "pass")
                    .containsEntry("openapi-exposed", "pass");
        } finally {
            server.stop(0);
        }
    }

    private Map<String, String> audit(Path inv, String only) throws IOException {
        Path json = Files.createTempFile(dir, "result", ".json");
        Cli r = Cli.run("audit", "--playbook", "tria-aibpo", "-i", inv.toString(), "-t", "web", "--only", only,
                "--store", dir.resolve("store").toString(), "-q", "-o", json.toString());
        assertThat(r.exit()).as(r.err()).isIn(0, 1);
        Map<String, String> status = new HashMap<>();
        new ObjectMapper().readTree(json.toFile()).path("checks").forEach(c -> status.put(c.path("id").asText(), c.path("status").asText()));
        return status;
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] data = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, data.length);
        ex.getResponseBody().write(data);
        ex.close();
    }
}

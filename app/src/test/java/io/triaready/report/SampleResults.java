package io.triaready.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.core.engine.RunResult;
import io.triaready.core.playbook.Phase;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.HostResult;
import io.triaready.core.result.Outcome;
import io.triaready.core.score.CategoryScore;
import io.triaready.core.score.PhaseScore;
import io.triaready.core.score.Score;
import io.triaready.core.score.Tally;
import io.triaready.core.score.Verdict;

/**
 * Fixed results the renderer tests (and the golden files) are made of. {@link #sample()} is an audit of
 * the TRIA AIBPO plan against "prod" (two app hosts) with every outcome: passes, a flaky pass, failures
 * (one on one host of two), an error, a blocked chain, a skipped check. Timestamps are fixed. The score
 * parts are written out by hand (this fixture must not depend on the scoring code it is rendered next to).
 */
public final class SampleResults {
    public static final Instant STARTED = Instant.parse("2026-11-21T09:30:00Z");
    public static final String TOOL_VERSION = "0.1.0";

    private SampleResults() {}

    public static RunResult sample() {
        return sample(List.of());
    }

    /** The sample with extra checks appended (e.g. hostile titles for escaping tests). Score unchanged. */
    public static RunResult sample(List<CheckResult> extra) {
        List<CheckResult> checks = new ArrayList<>(checks());
        checks.addAll(extra);
        Score score = new Score(59.33333333333333,
                List.of(new PhaseScore(Phase.P0, tally(checks, Phase.P0), 16.666666666666668, false),
                        new PhaseScore(Phase.P1, tally(checks, Phase.P1), 80.0, false),
                        new PhaseScore(Phase.P2, tally(checks, Phase.P2), 100.0, true)),
                List.of(new CategoryScore("functional", 40, tally(checks, "functional"), 0.4, 16.0),
                        new CategoryScore("performance", 30, tally(checks, "performance"), 1.0, 30.0),
                        new CategoryScore("quality", 20, tally(checks, "quality"), 2 / 3.0, 13.333333333333334),
                        new CategoryScore("integration", 10, tally(checks, "integration"), 0.0, 0.0)),
                tally(checks, (Phase) null));
        return new RunResult(RunResult.SCHEMA, TOOL_VERSION, "tria-aibpo", "TRIA AIBPO production readiness",
                "playbooks/tria-aibpo.yaml", "prod", List.of("app-1", "app-2"), STARTED, STARTED.plusMillis(12_615),
                List.of("exclude tag: manual"), checks, score, 90, Verdict.BLOCKED, false);
    }

    /** Earlier scores for trend displays, oldest first (one run had no data). */
    public static RenderOptions withHistory() {
        return new RenderOptions(false, false, List.of(
                new RenderOptions.HistoryPoint(Instant.parse("2026-11-14T09:30:00Z"), 41.0, "BLOCKED"),
                new RenderOptions.HistoryPoint(Instant.parse("2026-11-16T09:30:00Z"), 48.5, "BLOCKED"),
                new RenderOptions.HistoryPoint(Instant.parse("2026-11-17T09:30:00Z"), null, "NO_DATA"),
                new RenderOptions.HistoryPoint(Instant.parse("2026-11-18T09:30:00Z"), 55.0, "BLOCKED"),
                new RenderOptions.HistoryPoint(Instant.parse("2026-11-20T09:30:00Z"), 57.5, "BLOCKED")));
    }

    /** Nothing evaluated: every check filtered out, so no score (never 100) and verdict NO_DATA. */
    public static RunResult noData() {
        List<CheckResult> checks = List.of(
                check("chromadb-connected", "ChromaDB knowledge base initialized", Phase.P0, "functional", "http",
                        Outcome.SKIPPED, "not in phase p3", null, "chromadb", List.of()),
                check("auto-restart", "Service restarts itself after a crash", Phase.P0, "quality", "file",
                        Outcome.SKIPPED, "not in phase p3", null, "auto-restart", List.of()));
        Score score = new Score(null,
                List.of(new PhaseScore(Phase.P0, tally(checks, Phase.P0), null, false)),
                List.of(), tally(checks, (Phase) null));
        return new RunResult(RunResult.SCHEMA, TOOL_VERSION, "tria-aibpo", "TRIA AIBPO production readiness",
                "playbooks/tria-aibpo.yaml", "staging", List.of(), STARTED, STARTED.plusMillis(35),
                List.of("phase: p3"), checks, score, 90, Verdict.NO_DATA, false);
    }

    /**
     * The sample plus a check whose title, evidence, notes and fix id are hostile (markup, quotes, CDATA
     * and comment terminators, ANSI escapes, NUL, a bare CR), against a target whose name holds a quote.
     */
    public static RunResult hostile() {
        return withTarget(sample(List.of(check("evil", "<script>alert(1)</script> \"quoted\" & 'single' ]]> --",
                Phase.P1, "quality", "http", Outcome.FAIL, "x", null, "fix; rm -rf /", List.of(
                        host("-", Outcome.FAIL, null, List.of("body: expected \"<ok/>\", got \"\u001b[31mred\u0000\""),
                                ev("body", "</failure><injected/>\r\nline 2\u0007"), List.of("note <b>bold</b>"), 5, 1))))),
                "evil\"target");
    }

    private static RunResult withTarget(RunResult r, String target) {
        return new RunResult(r.schema(), r.toolVersion(), r.playbookId(), r.playbookTitle(), r.playbookSource(), target, r.hosts(),
                r.started(), r.finished(), r.filters(), r.checks(), r.score(), r.failUnder(), r.verdict(), r.interrupted());
    }

    static List<CheckResult> checks() {
        String healthBody = "{\"status\":\"healthy\",\"database\":\"connected\",\"redis\":\"connected\",\"chromadb\":\"not_initialized\"}";
        String unit = "[Unit]\nDescription=TRIA AIBPO backend\n\n[Service]\nExecStart=/opt/tria/venv/bin/uvicorn src.enhanced_api:app --port 8000\nUser=tria";
        String notFound = "<!DOCTYPE html><html><head><title>404: This page could not be found</title></head><body>...</body></html>";
        List<CheckResult> c = new ArrayList<>();
        // P0
        c.add(check("backend-health", "Backend health endpoint reports healthy", Phase.P0, "functional", "http",
                Outcome.PASS, null, null, null, List.of(
                        host("-", Outcome.PASS, null, List.of(), ev("status", "200", "body", healthBody), List.of(), 182, 1))));
        c.add(check("chromadb-connected", "ChromaDB knowledge base initialized", Phase.P0, "functional", "http",
                Outcome.FAIL, "body $.chromadb: expected \"connected\", got \"not_initialized\"", null, "chromadb", List.of(
                        host("-", Outcome.FAIL, null,
                                List.of("body $.chromadb: expected equals \"connected\", got \"not_initialized\""),
                                ev("status", "200", "body", healthBody), List.of(), 240, 1))));
        c.add(check("chatbot-answers", "Chatbot answers a customer message", Phase.P0, "functional", "http",
                Outcome.BLOCKED, "blocked by chromadb-connected", "chromadb-connected", null, List.of()));
        c.add(check("chatbot-history", "Chat history is kept per session", Phase.P0, "functional", "http",
                Outcome.BLOCKED, "blocked by chatbot-answers", "chatbot-answers", null, List.of()));
        c.add(check("auto-restart", "Service restarts itself after a crash", Phase.P0, "quality", "file",
                Outcome.FAIL, "content: expected contains \"Restart=always\" (on app-2)", null, "auto-restart", List.of(
                        host("app-1", Outcome.PASS, null, List.of(),
                                ev("path", "/etc/systemd/system/tria-aibpo.service"), List.of(), 95, 1),
                        host("app-2", Outcome.FAIL, null, List.of(
                                        "content: expected contains \"Restart=always\", got \"[Unit]\\nDescription=TRIA AIBPO backend\\n…\" (not found)",
                                        "content: expected matches /RestartSec=\\d+/, got \"[Unit]\\nDescription=TRIA AIBPO backend\\n…\" (no match)"),
                                ev("path", "/etc/systemd/system/tria-aibpo.service", "content", unit), List.of(), 121, 1))));
        c.add(check("metrics-exposed", "Prometheus /metrics is served by the backend", Phase.P0, "integration", "http",
                Outcome.FAIL, "status: expected 200, got 404", null, "nginx-monitoring", List.of(
                        host("-", Outcome.FAIL, null, List.of("status: expected 200, got 404"),
                                ev("status", "404", "headers.content-type", "text/html; charset=utf-8", "body", notFound),
                                List.of(), 310, 1))));
        // P1
        c.add(check("xero-connected", "Xero integration token is valid", Phase.P1, "integration", "http",
                Outcome.ERROR, "GET https://tria.himeet.ai/api/v1/xero/status: timed out after 10s", null, "xero-token", List.of(
                        host("-", Outcome.ERROR, null, List.of(), Map.of(), List.of(), 10_004, 1))));
        c.add(check("products-have-embeddings", "Every product has an embedding", Phase.P1, "functional", "sql",
                Outcome.PASS, null, null, null, List.of(
                        host("-", Outcome.PASS, null, List.of(), ev("value", "0"), List.of(), 57, 1))));
        c.add(check("cache-hit-rate", "Redis cache hit rate is at least 30%", Phase.P1, "performance", "redis",
                Outcome.FLAKY, "passed on attempt 2", null, null, List.of(
                        host("-", Outcome.FLAKY, "passed on attempt 2", List.of(), ev("value", "0.34"),
                                List.of("attempt 1: value: expected >= 0.3, got 0.27"), 2_018, 2))));
        c.add(check("chatbot-latency", "Chatbot p95 latency under 3 s", Phase.P1, "performance", "http",
                Outcome.PASS, null, null, null, List.of(
                        host("-", Outcome.PASS, null, List.of(), ev("time_ms", "1840"), List.of(), 1_842, 1))));
        c.add(check("log-rotation", "Log rotation keeps 14 days | 500 MB", Phase.P1, "quality", "command",
                Outcome.PASS, null, null, null, List.of(
                        host("app-1", Outcome.PASS, null, List.of(), ev("exit_code", "0"), List.of(), 64, 1),
                        host("app-2", Outcome.PASS, null, List.of(), ev("exit_code", "0"), List.of(), 71, 1))));
        // P2
        c.add(check("disk-headroom", "Disk has at least 20% free on /", Phase.P2, "quality", "command",
                Outcome.PASS, null, null, null, List.of(
                        host("app-1", Outcome.PASS, null, List.of(), ev("stdout", "41"), List.of(), 48, 1),
                        host("app-2", Outcome.PASS, null, List.of(), ev("stdout", "37"), List.of(), 52, 1))));
        c.add(check("backup-restore-drill", "Backup restore drill done this quarter", Phase.P2, "quality", "file",
                Outcome.SKIPPED, "excluded by tag: manual", null, null, List.of()));
        return c;
    }

    public static CheckResult check(String id, String title, Phase phase, String category, String type, Outcome outcome,
                                    String message, String blockedBy, String fix, List<HostResult> hosts) {
        long duration = hosts.stream().mapToLong(HostResult::durationMs).max().orElse(0);
        return new CheckResult(id, title, phase, category, 1.0, List.of(), fix, type, null, outcome, message, blockedBy,
                hosts, duration);
    }

    public static HostResult host(String host, Outcome outcome, String message, List<String> failures,
                                  Map<String, String> evidence, List<String> notes, long ms, int attempts) {
        return new HostResult(host, outcome, message, failures, evidence, notes, ms, attempts);
    }

    static Map<String, String> ev(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    static Tally tally(List<CheckResult> checks, Phase phase) {
        Tally t = Tally.EMPTY;
        for (CheckResult c : checks) if (phase == null || c.phase() == phase) t = t.plus(c.outcome());
        return t;
    }

    static Tally tally(List<CheckResult> checks, String category) {
        Tally t = Tally.EMPTY;
        for (CheckResult c : checks) if (category.equals(c.category())) t = t.plus(c.outcome());
        return t;
    }
}

package io.triaready.report;

import static io.triaready.report.JsonOut.objects;
import static io.triaready.report.JsonOut.strings;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triaready.core.engine.RunResult;
import io.triaready.core.playbook.Phase;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.HostResult;
import io.triaready.core.result.Outcome;
import io.triaready.core.score.CategoryScore;
import io.triaready.core.score.Coverage;
import io.triaready.core.score.PhaseScore;
import io.triaready.core.score.Score;
import io.triaready.core.score.Tally;
import io.triaready.core.score.Verdict;

/**
 * The JSON form of a {@link RunResult} (schema {@value RunResult#SCHEMA}, documented in
 * docs/json-report.md), written and read field by field: the schema is a contract, not whatever
 * a reflection-based mapper makes of the records.
 */
public final class ResultJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper READER = new ObjectMapper();

    private ResultJson() {}

    public static void write(RunResult r, Writer out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("schema", r.schema());
            g.writeObjectFieldStart("tool");
            g.writeStringField("name", "tria-ready");
            g.writeStringField("version", r.toolVersion());
            g.writeEndObject();
            g.writeObjectFieldStart("playbook");
            g.writeStringField("id", r.playbookId());
            g.writeStringField("title", r.playbookTitle());
            g.writeStringField("source", r.playbookSource());
            g.writeEndObject();
            g.writeObjectFieldStart("target");
            g.writeStringField("name", r.target());
            strings(g, "hosts", r.hosts());
            g.writeEndObject();
            g.writeStringField("started", r.started().toString());
            g.writeStringField("finished", r.finished().toString());
            g.writeNumberField("duration_ms", r.durationMs());
            strings(g, "filters", r.filters());
            g.writeBooleanField("interrupted", r.interrupted());
            g.writeStringField("verdict", r.verdict().name());
            g.writeNumberField("fail_under", r.failUnder());
            score(g, r.score());
            coverage(g, r);
            objects(g, "fixes", r.fixes(), (o, f) -> {
                o.writeStringField("fix", f.fix());
                o.writeStringField("status", f.status());
                o.writeStringField("operator", f.operator());
                o.writeStringField("finished", f.when().toString());
            });
            objects(g, "checks", r.checks(), ResultJson::check);
            g.writeEndObject();
        }
        out.write('\n');
    }

    private static void score(JsonGenerator g, Score s) throws IOException {
        g.writeObjectFieldStart("score");
        JsonOut.number(g, "value", s.value());
        tally(g, "total", s.total());
        objects(g, "phases", s.phases(), (o, p) -> {
            o.writeStringField("phase", p.phase().id());
            JsonOut.number(o, "score", p.score());
            o.writeBooleanField("complete", p.complete());
            tally(o, "tally", p.tally());
        });
        objects(g, "categories", s.categories(), (o, c) -> {
            o.writeStringField("name", c.name());
            o.writeNumberField("budget", c.budget());
            JsonOut.number(o, "ratio", c.ratio());
            JsonOut.number(o, "points", c.points());
            tally(o, "tally", c.tally());
        });
        g.writeEndObject();
    }

    /** What was not run, with the reasons: derived from the checks (a reader recomputes it), written for consumers that only read this. */
    private static void coverage(JsonGenerator g, RunResult r) throws IOException {
        Coverage cov = r.coverage();
        g.writeObjectFieldStart("coverage");
        g.writeBooleanField("complete", cov.complete());
        g.writeStringField("scope", cov.scopeLine());
        objects(g, "not_run", cov.notRun(), (o, c) -> {
            o.writeStringField("id", c.id());
            o.writeStringField("phase", c.phase().id());
            o.writeStringField("reason", c.message());
        });
        g.writeEndObject();
    }

    private static void tally(JsonGenerator g, String name, Tally t) throws IOException {
        g.writeObjectFieldStart(name);
        for (Outcome o : Outcome.values()) g.writeNumberField(o.id(), t.count(o));
        g.writeEndObject();
    }

    private static void check(JsonGenerator g, CheckResult c) throws IOException {
        g.writeStringField("id", c.id());
        g.writeStringField("title", c.title());
        g.writeStringField("phase", c.phase().id());
        g.writeStringField("category", c.category());
        g.writeNumberField("weight", c.weight());
        strings(g, "tags", c.tags());
        g.writeStringField("type", c.type());
        g.writeStringField("description", c.description());
        g.writeStringField("expect", c.expect());
        g.writeStringField("fix", c.fix());
        g.writeStringField("status", c.outcome().id());
        g.writeStringField("message", c.message());
        g.writeStringField("blocked_by", c.blockedBy());
        g.writeNumberField("duration_ms", c.durationMs());
        objects(g, "hosts", c.hosts(), (o, h) -> {
            o.writeStringField("host", h.host());
            o.writeStringField("status", h.outcome().id());
            o.writeStringField("message", h.message());
            strings(o, "failures", h.failures());
            o.writeObjectFieldStart("evidence");
            for (Map.Entry<String, String> e : h.evidence().entrySet()) o.writeStringField(e.getKey(), e.getValue());
            o.writeEndObject();
            strings(o, "notes", h.notes());
            o.writeNumberField("duration_ms", h.durationMs());
            o.writeNumberField("queued_ms", h.queuedMs());
            o.writeNumberField("attempts", h.attempts());
        });
    }

    /** Reads a saved result back. @throws IOException with a one-line reason when it is not a v1 result */
    public static RunResult read(Reader in) throws IOException {
        JsonNode root;
        try {
            root = READER.readTree(in);
        } catch (IOException e) {
            throw new IOException("not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) throw new IOException("not a tria-ready result (expected a JSON object)");
        String schema = root.path("schema").asText("");
        if (!schema.equals(RunResult.SCHEMA)) {
            throw new IOException("unsupported result schema '" + schema + "' (this version reads " + RunResult.SCHEMA + ")");
        }
        try {
            List<CheckResult> checks = new ArrayList<>();
            for (JsonNode c : root.path("checks")) {
                List<HostResult> hosts = new ArrayList<>();
                for (JsonNode h : c.path("hosts")) {
                    Map<String, String> evidence = new LinkedHashMap<>();
                    h.path("evidence").fields().forEachRemaining(e -> evidence.put(e.getKey(), e.getValue().asText()));
                    hosts.add(new HostResult(h.path("host").asText(), outcome(h.path("status")), text(h, "message"), list(h.path("failures")),
                            evidence, list(h.path("notes")), h.path("duration_ms").asLong(), h.path("attempts").asInt(1),
                            h.path("queued_ms").asLong(0))); // absent in results written before it was added: 0
                }
                checks.add(new CheckResult(c.path("id").asText(), text(c, "title"), Phase.parse(c.path("phase").asText()).orElseThrow(),
                        text(c, "category"), c.path("weight").asDouble(1), list(c.path("tags")), text(c, "fix"), text(c, "type"),
                        text(c, "description"), outcome(c.path("status")), text(c, "message"), text(c, "blocked_by"), hosts,
                        c.path("duration_ms").asLong(), text(c, "expect")));
            }
            JsonNode s = root.path("score");
            List<PhaseScore> phases = new ArrayList<>();
            for (JsonNode p : s.path("phases")) {
                phases.add(new PhaseScore(Phase.parse(p.path("phase").asText()).orElseThrow(), tally(p.path("tally")), number(p, "score"),
                        p.path("complete").asBoolean()));
            }
            List<CategoryScore> cats = new ArrayList<>();
            for (JsonNode c : s.path("categories")) {
                cats.add(new CategoryScore(c.path("name").asText(), c.path("budget").asDouble(), tally(c.path("tally")), number(c, "ratio"), number(c, "points")));
            }
            Score score = new Score(number(s, "value"), phases, cats, tally(s.path("total")));
            List<RunResult.AppliedFix> fixes = new ArrayList<>();
            for (JsonNode f : root.path("fixes")) {
                fixes.add(new RunResult.AppliedFix(Instant.parse(f.path("finished").asText()), f.path("fix").asText(), f.path("status").asText(),
                        f.path("operator").asText()));
            }
            return new RunResult(schema, root.path("tool").path("version").asText(), root.path("playbook").path("id").asText(),
                    text(root.path("playbook"), "title"), text(root.path("playbook"), "source"), root.path("target").path("name").asText(),
                    list(root.path("target").path("hosts")), Instant.parse(root.path("started").asText()), Instant.parse(root.path("finished").asText()),
                    list(root.path("filters")), checks, score, root.path("fail_under").asDouble(100), Verdict.valueOf(root.path("verdict").asText()),
                    root.path("interrupted").asBoolean(), fixes);
        } catch (RuntimeException e) {
            throw new IOException("malformed tria-ready result: " + e.getMessage());
        }
    }

    private static Outcome outcome(JsonNode n) { return Outcome.valueOf(n.asText().toUpperCase(java.util.Locale.ROOT)); }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asDouble();
    }

    private static List<String> list(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static Tally tally(JsonNode t) {
        return new Tally(t.path("pass").asInt(), t.path("flaky").asInt(), t.path("fail").asInt(), t.path("error").asInt(),
                t.path("blocked").asInt(), t.path("skipped").asInt());
    }
}

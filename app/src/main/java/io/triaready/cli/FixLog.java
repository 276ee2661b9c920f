package io.triaready.cli;

import java.io.IOException;
import java.io.StringWriter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.triaready.core.result.Outcome;
import io.triaready.fix.FixResult;
import io.triaready.fix.FixStatus;
import io.triaready.report.JsonOut;

/**
 * The record of a fix that ran (when, who, target, hosts, steps, outcome, verification) as JSON
 * (schema tria-ready/fix/v1), kept in the history store next to the audits. Dry runs, refusals and
 * "nothing to fix" changed nothing and are not recorded; an interrupted fix is (what it did, and where it stopped).
 */
final class FixLog {
    private FixLog() {}

    static boolean worthRecording(FixResult r) {
        return r.status() != FixStatus.DRY_RUN && r.status() != FixStatus.NOTHING_TO_FIX && r.status() != FixStatus.NOT_APPROVED;
    }

    static String json(FixResult r) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("schema", "tria-ready/fix/v1");
            g.writeStringField("fix", r.fixId());
            g.writeStringField("title", r.title());
            g.writeStringField("playbook", r.playbookId());
            g.writeStringField("target", r.target());
            JsonOut.strings(g, "hosts", r.hosts());
            g.writeStringField("operator", r.operator());
            g.writeStringField("started", r.started().toString());
            g.writeStringField("finished", r.finished().toString());
            g.writeStringField("status", r.status().name());
            g.writeStringField("message", r.message());
            JsonOut.objects(g, "steps", r.steps(), (o, s) -> {
                o.writeStringField("host", s.host());
                o.writeNumberField("index", s.index());
                o.writeStringField("step", s.description());
                o.writeBooleanField("ok", s.ok());
                o.writeStringField("message", s.message());
                o.writeNumberField("duration_ms", s.durationMs());
                o.writeBooleanField("rollback", s.rollback());
            });
            outcomes(g, "before", r.before());
            outcomes(g, "after", r.after());
            g.writeObjectFieldStart("reasons");
            for (var e : r.reasons().entrySet()) g.writeStringField(e.getKey(), e.getValue());
            g.writeEndObject();
            g.writeEndObject();
        }
        return w + "\n";
    }

    private static void outcomes(JsonGenerator g, String name, java.util.Map<String, Outcome> m) throws IOException {
        g.writeObjectFieldStart(name);
        for (var e : m.entrySet()) g.writeStringField(e.getKey(), e.getValue().id());
        g.writeEndObject();
    }
}

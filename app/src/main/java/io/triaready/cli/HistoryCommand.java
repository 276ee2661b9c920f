package io.triaready.cli;

import static io.triaready.report.JsonOut.number;
import static io.triaready.report.JsonOut.objects;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.triaready.base.yaml.Suggest;
import io.triaready.core.expect.Values;
import io.triaready.history.HistoryEntry;
import io.triaready.history.HistoryStore;
import io.triaready.history.Series;
import io.triaready.history.Sparkline;
import io.triaready.history.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The score over time of each playbook on each target, and when each check started or stopped failing. */
@Command(name = "history",
        description = {"Show the score over time per playbook and target, and when each check started or stopped failing.",
                "Lists the verdict of each recorded run; every 'tria-ready audit' is recorded unless --no-store."})
public final class HistoryCommand extends StoreQuery {
    static final String SCHEMA = "tria-ready/history/v1";

    @Option(names = {"-t", "--target"}, paramLabel = "NAME", description = "Only runs against this target.")
    String target;

    @Option(names = {"-p", "--playbook"}, paramLabel = "ID", description = "Only runs of this playbook (its id, as reports show it).")
    String playbook;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "The most recent N runs of each playbook and target (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int query() throws IOException {
        if (limit < 1 || limit > 10_000) throw new UserError("--limit " + limit + ": must be between 1 and 10000");
        HistoryStore store = storeOptions.spec(root.env()).open();
        List<Series> series = new ArrayList<>();
        try {
            List<HistoryEntry> all = store.entries(null, null, 0);
            List<HistoryEntry> matching = all.stream()
                    .filter(e -> (playbook == null || playbook.equals(e.playbook())) && (target == null || target.equals(e.target()))).toList();
            if (matching.isEmpty() && !all.isEmpty()) noMatch(all);
            // one series per playbook, target and scope (a --phase p0 run is not compared with a full one), the most recently audited first
            Map<String, List<HistoryEntry>> groups = new LinkedHashMap<>();
            for (int i = matching.size() - 1; i >= 0; i--) {
                HistoryEntry e = matching.get(i);
                groups.computeIfAbsent(e.playbook() + "\u0000" + e.target() + "\u0000" + e.scope(), k -> new ArrayList<>()).add(0, e);
            }
            for (List<HistoryEntry> g : groups.values()) {
                List<HistoryEntry> recent = g.subList(Math.max(0, g.size() - limit), g.size());
                List<Series.Run> runs = new ArrayList<>();
                List<HistoryStore.Stored> stored = store.loadAll(recent.stream().map(HistoryEntry::id).toList());
                for (int i = 0; i < recent.size(); i++) {
                    HistoryStore.Stored r = stored.get(i);
                    // one damaged result must not hide the rest: its row stays, it is left out of the check changes
                    if (r.result() == null) spec.commandLine().getErr().println("tria-ready: warning: " + r.problem());
                    runs.add(new Series.Run(recent.get(i), r.result()));
                }
                series.add(new Series(recent.get(0).playbook(), recent.get(0).target(), runs));
            }
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        Glyphs g = output.glyphs(root.env());
        if (output.json()) json(out, store.location(), series, g);
        else text(out, store.location(), series, g);
        out.flush();
        return ExitCodes.READY;
    }

    /** A filter that matches nothing in a store that has runs is most likely a typo. */
    private void noMatch(List<HistoryEntry> all) {
        Set<String> playbooks = new LinkedHashSet<>();
        Set<String> targets = new LinkedHashSet<>();
        for (HistoryEntry e : all) {
            if (target == null || target.equals(e.target())) playbooks.add(e.playbook());
            if (playbook == null || playbook.equals(e.playbook())) targets.add(e.target());
        }
        if (playbook != null && !playbooks.contains(playbook)) {
            throw new UserError("no runs of playbook '" + playbook + "'" + (target != null ? " on target " + target : "") + " in history"
                    + Suggest.didYouMean(playbook, playbooks) + (playbooks.isEmpty() ? "" : " (recorded: " + String.join(", ", playbooks) + ")"));
        }
        throw new UserError("no runs on target '" + target + "'" + (playbook != null ? " of playbook " + playbook : "") + " in history"
                + Suggest.didYouMean(target, targets) + (targets.isEmpty() ? "" : " (recorded: " + String.join(", ", targets) + ")"));
    }

    private void text(PrintWriter out, String location, List<Series> all, Glyphs g) {
        if (all.isEmpty()) {
            out.println("No audits recorded yet in " + location + " (every 'tria-ready audit' records one unless --no-store).");
            return;
        }
        boolean first = true;
        for (Series s : all) {
            if (!first) out.println();
            first = false;
            List<HistoryEntry> runs = s.entries();
            HistoryEntry oldest = runs.get(0);
            HistoryEntry latest = runs.get(runs.size() - 1);
            out.println(s.playbook() + "  " + g.arrow() + "  target " + s.target() + "  [" + latest.scopeLabel() + "]   " + runs.size() + " run" + (runs.size() == 1 ? "" : "s")
                    + (runs.size() > 1 ? ", " + Glyphs.when(oldest.started()) + " " + g.ellipsis() + " " + Glyphs.when(latest.started()) : ""));
            List<Double> scores = trendScores(runs);
            long interrupted = runs.stream().filter(HistoryEntry::interrupted).count();
            out.println("  score  " + Sparkline.of(scores, g.unicode()) + "  " + trend(scores, g)
                    + (interrupted > 0 ? "   (" + interrupted + " interrupted run" + (interrupted == 1 ? "" : "s") + " not in the trend)" : ""));
            out.println();
            int idWidth = runs.stream().mapToInt(e -> e.id().length()).max().orElse(20);
            for (HistoryEntry e : runs) {
                out.println(String.format("  %-16s  %-" + idWidth + "s  %5s  %s", Glyphs.when(e.started()), e.id(), score(e.score()),
                        e.verdict().label() + (e.interrupted() ? " (interrupted)" : "")));
            }
            List<Series.CheckHistory> checks = s.checks();
            if (!checks.isEmpty()) {
                out.println();
                int w = checks.stream().mapToInt(c -> c.id().length()).max().orElse(10);
                for (Series.CheckHistory c : checks) {
                    String state = c.failing()
                            ? c.current().id() + " since " + Glyphs.when(c.since()) + " (" + c.streak() + " run" + (c.streak() == 1 ? "" : "s") + ")"
                            : "fixed " + Glyphs.when(c.since());
                    if (c.transitions().size() > 1) state += ", " + c.transitions().size() + " changes in these runs";
                    if (!c.inLatest()) state += ", not in the latest run";
                    out.println(String.format("  %s %-" + w + "s  %s", c.failing() ? g.fail() : g.pass(), c.id(), state));
                }
            }
        }
    }

    /** The scores the trend is drawn from: complete runs only (an interrupted run scored a part of itself). */
    private static List<Double> trendScores(List<HistoryEntry> runs) {
        return runs.stream().filter(e -> !e.interrupted()).map(HistoryEntry::score).toList();
    }

    private static String trend(List<Double> scores, Glyphs g) {
        List<Double> known = scores.stream().filter(java.util.Objects::nonNull).toList();
        if (known.isEmpty()) return "no score yet";
        double a = known.get(0);
        double b = known.get(known.size() - 1);
        if (known.size() == 1) return score(b) + " / 100";
        double d = b - a;
        return score(a) + " " + g.arrow() + " " + score(b) + " / 100" + (d == 0 ? "" : " (" + (d > 0 ? "+" : "") + Values.formatNumber(round(d)) + ")");
    }

    static String score(Double s) { return s == null ? "-" : Values.formatNumber(round(s)); }

    private static double round(double d) { return Math.round(d * 10) / 10.0; }

    private static void json(PrintWriter out, String location, List<Series> all, Glyphs g) throws IOException {
        try (JsonGenerator j = new JsonFactory().createGenerator(out)) {
            j.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            j.useDefaultPrettyPrinter();
            j.writeStartObject();
            j.writeStringField("schema", SCHEMA);
            j.writeStringField("store", location);
            objects(j, "series", all, (o, s) -> {
                o.writeStringField("playbook", s.playbook());
                o.writeStringField("target", s.target());
                String scope = s.entries().get(s.entries().size() - 1).scope();
                if (scope == null) o.writeNullField("scope"); else o.writeStringField("scope", scope);
                o.writeStringField("sparkline", Sparkline.of(trendScores(s.entries()), g.unicode()));
                objects(o, "runs", s.entries(), (run, e) -> {
                    run.writeStringField("id", e.id());
                    run.writeStringField("started", e.started().toString());
                    number(run, "score", e.score());
                    run.writeStringField("verdict", e.verdict().name());
                    run.writeBooleanField("interrupted", e.interrupted());
                });
                objects(o, "checks", s.checks(), HistoryCommand::check);
            });
            j.writeEndObject();
        }
        out.println();
    }

    private static void check(JsonGenerator j, Series.CheckHistory c) throws IOException {
        j.writeStringField("id", c.id());
        j.writeStringField("title", c.title());
        j.writeStringField("phase", c.phase().id());
        j.writeStringField("status", c.current().id());
        j.writeBooleanField("failing", c.failing());
        j.writeStringField("since", c.since().toString());
        j.writeStringField("since_run", c.sinceRun());
        j.writeNumberField("runs", c.streak());
        j.writeBooleanField("in_latest", c.inLatest());
        objects(j, "transitions", c.transitions(), (o, t) -> {
            o.writeStringField("run", t.runId());
            o.writeStringField("at", t.at().toString());
            o.writeStringField("from", t.from().id());
            o.writeStringField("to", t.to().id());
        });
    }
}

package io.triaready.cli;

import static io.triaready.report.JsonOut.number;
import static io.triaready.report.JsonOut.objects;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.triaready.core.engine.RunResult;
import io.triaready.core.expect.Values;
import io.triaready.core.result.CheckResult;
import io.triaready.history.HistoryEntry;
import io.triaready.history.HistoryStore;
import io.triaready.history.ResultDiff;
import io.triaready.history.StoreException;
import io.triaready.report.TerminalSafe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Two results side by side: what regressed, what improved, what is new or gone, and the score delta. */
@Command(name = "diff",
        description = {"Compare two results: what regressed (pass -> fail/error/blocked), what improved, new and removed checks, the score delta.",
                "A and B are result JSON files or history ids; --last 2 compares the two most recent runs.",
                "Exit codes: 0 (also with regressions, unless --fail-on-regression), 1 regressions with --fail-on-regression, 2 bad input."})
public final class DiffCommand extends StoreQuery {
    static final String SCHEMA = "tria-ready/diff/v1";

    @Parameters(paramLabel = "RESULT", arity = "0..2", description = "Before and after: result JSON files or history ids (a unique prefix is enough).")
    List<String> refs = new ArrayList<>();

    @Option(names = "--last", paramLabel = "N",
            description = "Compare the most recent run with the N-th most recent (--last 2: the previous one) of the same playbook and target; interrupted runs are left out.")
    Integer last;

    @Option(names = {"-t", "--target"}, paramLabel = "NAME", description = "With --last: runs against this target.")
    String target;

    @Option(names = {"-p", "--playbook"}, paramLabel = "ID", description = "With --last: runs of this playbook.")
    String playbook;

    @Option(names = "--fail-on-regression", description = "Exit 1 when a check regressed.")
    boolean failOnRegression;

    @Override
    int query() throws IOException {
        LazyStore store = new LazyStore(storeOptions.spec(root.env()));
        ResultRefs.Loaded from;
        ResultRefs.Loaded to;
        if (last != null) {
            if (!refs.isEmpty()) throw new UserError("give two results, or --last N, not both");
            if (last < 2) throw new UserError("--last " + last + ": must be at least 2 (--last 2 compares the two most recent runs)");
            ResultRefs.Loaded[] pair = lastRuns(store.get());
            from = pair[0];
            to = pair[1];
        } else {
            if (refs.size() != 2) throw new UserError("give two results to compare (files or history ids), or --last 2");
            if (target != null || playbook != null) throw new UserError("--target and --playbook choose runs for --last; with two results they do not apply");
            from = ResultRefs.load(refs.get(0), store);
            to = ResultRefs.load(refs.get(1), store);
        }
        ResultDiff diff = ResultDiff.of(from.result(), to.result());
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) json(out, diff, from, to);
        else text(out, diff, from, to, output.glyphs(root.env()));
        out.flush();
        return failOnRegression && diff.hasRegressions() ? ExitCodes.NOT_READY : ExitCodes.READY;
    }

    private ResultRefs.Loaded[] lastRuns(HistoryStore store) {
        try {
            List<HistoryEntry> entries = store.entries(playbook, target, 0).stream().filter(e -> !e.interrupted()).toList();
            if (entries.isEmpty()) {
                throw new UserError("no complete runs" + (playbook != null ? " of playbook " + playbook : "") + (target != null ? " on target " + target : "")
                        + " in history " + store.location() + " (see 'tria-ready history')");
            }
            HistoryEntry latest = entries.get(entries.size() - 1);
            // like with like: the same playbook, target and scope (a --phase p0 run is not compared with a full one)
            List<HistoryEntry> series = entries.stream().filter(latest::comparable).toList();
            if (series.size() < last) {
                long others = entries.stream().filter(e -> latest.sameSeries(e) && !latest.comparable(e)).count();
                throw new UserError("--last " + last + ": only " + series.size() + " complete run" + (series.size() == 1 ? "" : "s") + " of playbook "
                        + latest.playbook() + " on target " + latest.target() + " with the latest run's scope (" + latest.scopeLabel() + ") in history"
                        + (others > 0 ? "; " + others + " of other scopes are not compared (give two ids to compare them anyway)" : ""));
            }
            HistoryEntry before = series.get(series.size() - last);
            return new ResultRefs.Loaded[] {
                new ResultRefs.Loaded(before.id(), store.load(before.id()), before),
                new ResultRefs.Loaded(latest.id(), store.load(latest.id()), latest)};
        } catch (StoreException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static void text(PrintWriter out, ResultDiff d, ResultRefs.Loaded from, ResultRefs.Loaded to, Glyphs g) {
        RunResult a = d.from();
        RunResult b = d.to();
        out.println(b.playbookTitle() + " (" + b.playbookId() + ")  " + g.arrow() + "  target " + b.target());
        if (!a.playbookId().equals(b.playbookId())) out.println("  note: different playbooks (" + a.playbookId() + " and " + b.playbookId() + ")");
        if (!a.target().equals(b.target())) out.println("  note: different targets (" + a.target() + " and " + b.target() + ")");
        if (!d.sameScope()) {
            out.println("  note: different scopes (" + HistoryEntry.label(a.scope()) + " and " + HistoryEntry.label(b.scope())
                    + "): the scores are of different sets of checks and are not compared");
        }
        if (a.interrupted() || b.interrupted()) out.println("  note: an interrupted run is partial: its checks that did not finish are errors");
        int w = Math.max(from.label().length(), to.label().length());
        out.println(side("from", from, w));
        out.println(side("to", to, w));
        Double delta = d.scoreDelta();
        out.println("  score " + HistoryCommand.score(a.score().value()) + " " + g.arrow() + " " + HistoryCommand.score(b.score().value())
                + (delta == null ? (d.sameScope() ? "" : "  (not comparable)") : "  (" + (delta > 0 ? "+" : "") + Values.formatNumber(Math.round(delta * 10) / 10.0) + ")")
                + (a.verdict() != b.verdict() ? "   verdict " + a.verdict().label() + " " + g.arrow() + " " + b.verdict().label() : ""));
        if (d.thresholdChanged()) {
            out.println("  threshold  fail-under " + Values.formatNumber(a.failUnder()) + " " + g.arrow() + " " + Values.formatNumber(b.failUnder()));
        }
        changes(out, "Regressed", d.regressed(), g, g.fail(), true);
        changes(out, "Improved", d.improved(), g, g.pass(), false);
        changes(out, "Changed", d.changed(), g, "~", true);
        checks(out, "New", d.added(), "+");
        checks(out, "Removed", d.removed(), "-");
        if (!d.barChanged().isEmpty()) {
            out.println();
            out.println("Bar changed (" + d.barChanged().size() + ")");
            int bw = d.barChanged().stream().mapToInt(c -> c.id().length()).max().orElse(10);
            for (ResultDiff.BarChange c : d.barChanged()) {
                out.println(String.format("  ~ %-" + bw + "s  %s: %s %s %s", c.id(), c.what(), c.before(), g.arrow(), c.after()));
            }
        }
        out.println();
        List<String> rest = new ArrayList<>();
        rest.add(d.unchangedPassing() + " still passing");
        if (!d.stillFailing().isEmpty()) {
            rest.add(d.stillFailing().size() + " still not passing (" + String.join(", ", d.stillFailing().stream().limit(5).map(ResultDiff.Change::id).toList())
                    + (d.stillFailing().size() > 5 ? ", " + g.ellipsis() : "") + ")");
        }
        if (d.notCompared() > 0) rest.add(d.notCompared() + " not compared (not run in one of the runs)");
        out.println("Unchanged: " + String.join("; ", rest));
        if (d.noCheckChanged()) {
            out.println(d.notCompared() > 0 ? "No check changed among those both runs ran." : "No check changed.");
        }
    }

    private static String side(String label, ResultRefs.Loaded l, int w) {
        RunResult r = l.result();
        return String.format("  %-4s  %-" + w + "s  %s  %s / 100  %s  [%s]", label, l.label(), Glyphs.when(r.started()), HistoryCommand.score(r.score().value()),
                r.verdict().label() + (r.interrupted() ? " (interrupted)" : ""), HistoryEntry.label(r.scope()));
    }

    private static void changes(PrintWriter out, String title, List<ResultDiff.Change> list, Glyphs g, String mark, boolean withMessage) {
        if (list.isEmpty()) return;
        out.println();
        out.println(title + " (" + list.size() + ")");
        int w = list.stream().mapToInt(c -> c.id().length()).max().orElse(10);
        for (ResultDiff.Change c : list) {
            CheckResult after = c.after();
            String line = String.format("  %s %-" + w + "s  %s  %s %s %s", mark, c.id(), after.phase().id(), c.before().outcome().id(), g.arrow(), after.outcome().id());
            if (withMessage && after.message() != null && !after.outcome().passed()) line += "   " + TerminalSafe.text(after.message());
            out.println(line);
        }
    }

    private static void checks(PrintWriter out, String title, List<CheckResult> list, String mark) {
        if (list.isEmpty()) return;
        out.println();
        out.println(title + " (" + list.size() + ")");
        int w = list.stream().mapToInt(c -> c.id().length()).max().orElse(10);
        for (CheckResult c : list) out.println(String.format("  %s %-" + w + "s  %s  %s", mark, c.id(), c.phase().id(), c.outcome().id()));
    }

    private static void json(PrintWriter out, ResultDiff d, ResultRefs.Loaded from, ResultRefs.Loaded to) throws IOException {
        try (JsonGenerator j = new JsonFactory().createGenerator(out)) {
            j.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            j.useDefaultPrettyPrinter();
            j.writeStartObject();
            j.writeStringField("schema", SCHEMA);
            side(j, "from", from);
            side(j, "to", to);
            number(j, "score_delta", d.scoreDelta());
            j.writeBooleanField("regression", d.hasRegressions());
            j.writeBooleanField("same_scope", d.sameScope());
            j.writeBooleanField("threshold_changed", d.thresholdChanged());
            objects(j, "bar_changed", d.barChanged(), (o, c) -> {
                o.writeStringField("id", c.id());
                o.writeStringField("what", c.what());
                o.writeStringField("from", c.before());
                o.writeStringField("to", c.after());
            });
            changes(j, "regressed", d.regressed());
            changes(j, "improved", d.improved());
            changes(j, "changed", d.changed());
            changes(j, "still_failing", d.stillFailing());
            checks(j, "new", d.added());
            checks(j, "removed", d.removed());
            j.writeNumberField("unchanged_passing", d.unchangedPassing());
            j.writeNumberField("not_compared", d.notCompared());
            j.writeEndObject();
        }
        out.println();
    }

    private static void side(JsonGenerator j, String name, ResultRefs.Loaded l) throws IOException {
        RunResult r = l.result();
        j.writeObjectFieldStart(name);
        if (l.entry() != null) j.writeStringField("id", l.entry().id()); else j.writeStringField("file", l.ref());
        j.writeStringField("playbook", r.playbookId());
        j.writeStringField("target", r.target());
        j.writeStringField("started", r.started().toString());
        number(j, "score", r.score().value());
        j.writeStringField("verdict", r.verdict().name());
        j.writeBooleanField("interrupted", r.interrupted());
        j.writeStringField("scope", r.scope());
        j.writeNumberField("fail_under", r.failUnder());
        j.writeEndObject();
    }

    private static void changes(JsonGenerator j, String name, List<ResultDiff.Change> list) throws IOException {
        objects(j, name, list, (o, c) -> {
            o.writeStringField("id", c.id());
            o.writeStringField("title", c.after().title());
            o.writeStringField("phase", c.after().phase().id());
            o.writeStringField("from", c.before().outcome().id());
            o.writeStringField("to", c.after().outcome().id());
            o.writeStringField("message", c.after().message());
        });
    }

    private static void checks(JsonGenerator j, String name, List<CheckResult> list) throws IOException {
        objects(j, name, list, (o, c) -> {
            o.writeStringField("id", c.id());
            o.writeStringField("title", c.title());
            o.writeStringField("phase", c.phase().id());
            o.writeStringField("status", c.outcome().id());
        });
    }
}

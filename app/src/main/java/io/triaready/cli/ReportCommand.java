package io.triaready.cli;

import java.util.List;

import io.triaready.base.secret.Secrets;
import io.triaready.history.HistoryEntry;
import io.triaready.history.HistoryStore;
import io.triaready.report.RenderOptions;
import io.triaready.report.Renderers;
import io.triaready.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Re-renders a saved result in any format: the JSON is the source of truth, every other report derives from it. */
@Command(name = "report",
        description = {"Re-render a saved result (a JSON file written by 'audit -o result.json', or a history id) in any format.",
                "Exit codes: 0 rendered, 2 not a tria-ready v1 result or bad flags."})
public final class ReportCommand extends Subcommand {
    @Parameters(paramLabel = "RESULT", description = "A result JSON file, or the id of a run in the history (see 'tria-ready history').")
    String result;

    @Mixin
    OutputOptions outputOptions;

    @Mixin
    StoreOptions storeOptions;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        Renderers renderers = Renderers.builtins();
        outputOptions.validate(renderers);
        LazyStore store = new LazyStore(storeOptions.spec(root.env())); // a mistake in --store is reported even when unused
        ResultRefs.Loaded loaded = ResultRefs.load(result, store);
        List<RenderOptions.HistoryPoint> history = trend(loaded, store);
        // a saved result was masked when it was written; masking again still catches URL passwords
        outputOptions.githubStepSummary = root.env().apply("GITHUB_STEP_SUMMARY");
        boolean written = outputOptions.emit(loaded.result(), renderers, new ReportWriter(new Secrets()), common.color(), spec.commandLine().getOut(),
                spec.commandLine().getErr(), history);
        return outputOptions.exitCode(loaded.result(), ExitCodes.READY, written);
    }

    /** Earlier scores of the same series and scope (complete runs), for formats that draw a trend; nothing (silently) when the store is unavailable. */
    private static List<RenderOptions.HistoryPoint> trend(ResultRefs.Loaded loaded, LazyStore lazy) {
        try {
            HistoryStore store = lazy.get();
            var r = loaded.result();
            List<HistoryEntry> before = store.entries(r.playbookId(), r.target(), 0).stream()
                    .filter(e -> e.started().isBefore(r.started())).toList();
            return Recorder.points(Recorder.trend(before, r.scope(), loaded.entry() == null ? null : loaded.entry().id()));
        } catch (Exception e) {
            return List.of();
        }
    }
}

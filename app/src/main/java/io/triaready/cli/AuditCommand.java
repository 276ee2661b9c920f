package io.triaready.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.triaready.base.secret.Secrets;
import io.triaready.base.trace.Trace;
import io.triaready.base.yaml.Durations;
import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.PlaybookException;
import io.triaready.base.yaml.Problem;
import io.triaready.builtin.BuiltIns;
import io.triaready.core.engine.Engine;
import io.triaready.core.engine.RunListener;
import io.triaready.core.engine.RunOptions;
import io.triaready.core.engine.RunResult;
import io.triaready.core.engine.Selection;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.core.playbook.TargetFit;
import io.triaready.core.score.Verdict;
import io.triaready.progress.LiveProgress;
import io.triaready.report.JsonRenderer;
import io.triaready.report.RenderOptions;
import io.triaready.report.Renderers;
import io.triaready.report.ReportWriter;
import io.triaready.spi.Session;
import io.triaready.spi.SpeedTricks;
import io.triaready.spi.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The main job: run a playbook against a target and report. Never changes the target. */
@Command(name = "audit",
        description = {"Run a playbook's checks against a target and print a scored readiness report.",
                "Exit codes: 0 ready, 1 not ready or blocked, 2 bad input, 73 a report could not be written, 130 interrupted (SIGINT), 143 terminated (SIGTERM)."})
public final class AuditCommand extends Subcommand {
    @Mixin
    PlaybookOptions playbookOptions;

    @Mixin
    SelectionOptions selectionOptions;

    @Mixin
    OutputOptions outputOptions;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--no-store", description = "Do not record this run in the history store.")
    boolean noStore;

    @Mixin
    CommonOptions common;

    @Option(names = "--fail-under", paramLabel = "SCORE",
            description = "The verdict is NOT READY under this score (0-100). Default: the playbook's fail_under, else 100.")
    Double failUnder;

    /** One SSH connection carries 32 commands at once: 8 lanes of 4 (docs/reference/ssh.md). */
    static final int DEFAULT_CONCURRENCY = 32;

    @Option(names = {"-j", "--concurrency"}, paramLabel = "N", defaultValue = "" + DEFAULT_CONCURRENCY, description = "Checks observed at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Timeout of a check without its own (default 10s), e.g. 500ms, 5s.")
    String timeout;

    static final String NO_SPEED_TRICKS = "--no-speed-tricks";

    @Option(names = NO_SPEED_TRICKS, description = "Plain SSH, slower: no connecting ahead, one-round-trip login, quick ACKs, crypto warm-up, shell lanes or pipelining"
            + " (also TRIA_READY_SPEED_TRICKS=off). To rule the speed tricks out when something looks wrong.")
    boolean noSpeedTricks;

    @Option(names = "--deadline", paramLabel = "DURATION", description = "Deadline of the whole audit, from its start: checks not started by then are errors, running ones are stopped at it.")
    String deadline;

    @Override
    public Integer call() {
        Trace.mark("command line read");
        Renderers renderers = Renderers.builtins();
        outputOptions.validate(renderers);
        // NaN fails every comparison, so it is tested for itself: "--fail-under NaN" made every run READY
        if (failUnder != null && !(failUnder >= 0 && failUnder <= 100)) throw new UserError("--fail-under " + failUnder + ": must be a number from 0 to 100");
        if (concurrency < 1 || concurrency > 1024) throw new UserError("--concurrency " + concurrency + ": must be between 1 and 1024");
        Duration defaultTimeout = duration("--timeout", timeout, RunOptions.DEFAULT_TIMEOUT, Fields.MAX_WAIT);
        Duration runDeadline = deadline == null ? null : duration("--deadline", deadline, null, MAX_DEADLINE);
        if (noStore && storeOptions.store != null) throw new UserError("--store and --no-store do not go together: use one");
        var err = spec.commandLine().getErr();
        Recorder recorder = noStore ? Recorder.off() : Recorder.of(storeOptions.spec(root.env()), err);

        Engine engine = new Engine(BuiltIns.hostConnectors());
        // an interrupt from now on (even while the target and playbook load) cancels the run before or
        // while it runs, and the report of what exists is written (Interruption)
        root.interruption.onInterrupt(engine::cancel);
        Secrets secrets = new Secrets();
        Target target = Loading.target(playbookOptions, Interpolator.External.RESOLVE, secrets, root.env());
        Trace.mark("target loaded");
        // the connections the command line's first look started (Headstart), else new ones, before the
        // playbook is read: its checks need them first. Without the speed tricks, they connect on first use.
        SpeedTricks tricks = SpeedTricks.of(noSpeedTricks, root.env().apply(SpeedTricks.ENV));
        Session session = (tricks.on() ? root.headstart.adopt(target, defaultTimeout, concurrency) : Optional.<Session>empty()).orElseGet(() -> {
            Session s = new Session();
            s.useSpeedTricks(tricks);
            if (tricks.on()) {
                engine.preconnect(target, s, defaultTimeout, concurrency);
            } else {
                s.markReadOnly(); // an audit's session, as preconnect marks it
            }
            return s;
        });
        try {
            return audit(engine, session, target, secrets, renderers, recorder, defaultTimeout, runDeadline, err);
        } finally {
            session.close();
        }
    }

    private int audit(Engine engine, Session session, Target target, Secrets secrets, Renderers renderers, Recorder recorder,
                      Duration defaultTimeout, Duration runDeadline, java.io.PrintWriter err) {
        Playbook playbook = Loading.playbook(playbookOptions, PlaybookLoader.Options.forAudit(target, playbookOptions.varMap(), secrets, root.env()));
        Trace.mark("playbook loaded");
        SecretWarnings.print(secrets, target, playbook, err);
        Selection selection = selectionOptions.toSelection(playbook);
        // what the selected checks need and the target lacks (a sql check without a postgres endpoint): refused before anything runs
        java.util.Set<String> toRun = selection.plan(playbook.checks()).toRun();
        java.util.List<Problem> unfit = TargetFit.problems(playbook, target, c -> toRun.contains(c.id()));
        if (!unfit.isEmpty()) throw new PlaybookException(unfit);
        // --skip X must not be overridden behind the user's back by a check that depends on X: that check does not run either, and we say so
        selection.plan(playbook.checks()).leftOutByDependency().forEach((id, why) ->
                err.println("tria-ready: note: " + id + " is not run: " + why.reason()));
        double threshold = failUnder != null ? failUnder : playbook.failUnder() != null ? playbook.failUnder() : 100;
        RunOptions options = new RunOptions(selection, concurrency, defaultTimeout, runDeadline == null ? null : leftOf(runDeadline, root.started), threshold);

        LiveProgress progress = null;
        try {
            boolean color = common.color();
            // live progress for a person watching a text report; root.terminal() is empty unless stdout is a
            // terminal (and is only asked for here: building one costs a little); none once interrupted
            if (!root.interruption.requested() && LiveProgress.wanted(true, root.env("CI"), outputOptions.quiet, outputOptions.format)) {
                progress = root.terminal().map(t -> new LiveProgress(t, color, 200)).orElse(null);
            }
            RunResult ran;
            try {
                ran = engine.run(playbook, target, options, secrets, progress != null ? progress : RunListener.NONE, VersionProvider.version(), session);
            } finally {
                if (progress != null) progress.close();
            }
            session.closeInBackground(); // the connections are done with; call() waits for the close
            for (String w : session.warnings()) err.println("tria-ready: warning: " + secrets.mask(w));

            Trace.mark("run done");
            ReportWriter writer = new ReportWriter(secrets);
            java.util.List<RenderOptions.HistoryPoint> history = recorder.previous(ran);
            // the fixes are part of the result (and of its record), so every format and 'report' show them
            RunResult result = ran.withFixes(recorder.fixesSince(ran, recorder.lastAudit(ran)));
            // recording (a JSON rendering, two writes forced to disk) overlaps printing the reports
            Thread recording = new Thread(() -> {
                try {
                    recorder.record(result, writer.render(new JsonRenderer(), result, RenderOptions.PLAIN));
                } catch (java.io.IOException e) {
                    err.println("tria-ready: warning: this run is not recorded in history: " + e.getMessage());
                }
                Trace.mark("recorded");
            }, "tria-record");
            recording.start();
            outputOptions.githubStepSummary = root.env().apply("GITHUB_STEP_SUMMARY");
            boolean written = outputOptions.emit(result, renderers, writer, color, spec.commandLine().getOut(), err, history);
            Trace.mark("reports written");
            joinUninterruptibly(recording);
            if (result.interrupted()) return ExitCodes.INTERRUPTED; // the JVM's code wins: 130, or 143 for SIGTERM
            return outputOptions.exitCode(result, result.verdict() == Verdict.READY ? ExitCodes.READY : ExitCodes.NOT_READY, written);
        } finally {
            root.interruption.reported(); // an interrupted JVM exits now
        }
    }

    /** Waits for {@code t} even through Ctrl-C: the history record is finished, never torn. */
    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** A whole run may last a week; a longer deadline is a typo (or an overflow waiting to happen). */
    static final Duration MAX_DEADLINE = Duration.ofDays(7);

    /**
     * What is left of {@code --deadline} now: it bounds the whole command, counted from its start (what
     * a user or a CI job timing the command sees), not from the first check.
     */
    static Duration leftOf(Duration deadline, Instant commandStarted) {
        Duration left = deadline.minus(Duration.between(commandStarted, Instant.now()));
        return left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
    }

    static Duration duration(String flag, String text, Duration defaultValue) {
        return duration(flag, text, defaultValue, Durations.MAX);
    }

    /** A flag's duration: more than 0 and at most {@code max}, else a one-line mistake (exit 2). */
    static Duration duration(String flag, String text, Duration defaultValue, Duration max) {
        if (text == null) return defaultValue;
        try {
            Duration d = Durations.parse(text);
            if (d.isZero() || d.isNegative()) throw new IllegalArgumentException("must be greater than 0");
            if (d.compareTo(max) > 0) throw new IllegalArgumentException("must be at most " + Durations.format(max));
            return d;
        } catch (IllegalArgumentException e) {
            throw new UserError(flag + " " + text + ": " + e.getMessage());
        }
    }
}

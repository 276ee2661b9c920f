package io.triaready.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.triaready.base.secret.MaskingWriter;
import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.Suggest;
import io.triaready.builtin.BuiltIns;
import io.triaready.core.engine.Engine;
import io.triaready.core.engine.RunListener;
import io.triaready.core.engine.RunOptions;
import io.triaready.core.engine.RunResult;
import io.triaready.core.engine.Selection;
import io.triaready.core.playbook.FixDef;
import io.triaready.core.playbook.Phase;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;
import io.triaready.fix.FixListener;
import io.triaready.fix.FixResult;
import io.triaready.fix.FixRunner;
import io.triaready.fix.FixStatus;
import io.triaready.report.TerminalSafe;
import io.triaready.spi.SpeedTricks;
import io.triaready.spi.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Applies a playbook's remedy and proves it worked. The only command that changes a target, and
 * only after the user said yes (a prompt on a terminal, or --yes).
 */
@Command(name = "fix",
        description = {"Apply a fix from the playbook, then re-run the checks it repairs.",
                "Checks first and stops if they already pass; shows the plan; asks before changing anything.",
                "Exit codes: 0 fixed (or nothing to fix), 1 still failing / step failed / not applied, 2 bad input or no approval possible."})
public final class FixCommand extends Subcommand {
    @Parameters(paramLabel = "ID", arity = "0..1", description = "The fix to apply (or a check id: its fix).")
    String id;

    @Mixin
    PlaybookOptions playbookOptions;

    @Mixin
    CommonOptions common;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--no-store", description = "Do not record the fix in the history store.")
    boolean noStore;

    @Option(names = AuditCommand.NO_SPEED_TRICKS, description = "Plain SSH for the fix's connections, as audit --no-speed-tricks (also TRIA_READY_SPEED_TRICKS=off).")
    boolean noSpeedTricks;

    @Option(names = "--failed", description = "Audit first, then offer the fixes of the checks that did not pass, one by one.")
    boolean failed;

    @Option(names = "--phase", paramLabel = "p0|p1|p2", split = ",", description = "With --failed: only checks of these phases.")
    List<String> phases = List.of();

    @Option(names = {"-y", "--yes"}, description = "Apply without asking (needed when there is no terminal).")
    boolean yes;

    @Option(names = "--dry-run", description = "Show the plan and change nothing.")
    boolean dryRun;

    @Option(names = "--allow-disruption", description = "Allow a fix marked 'disruption: high' without a terminal (with --yes).")
    boolean allowDisruption;

    @Option(names = "--mark-done", description = "For a manual fix: say it has been done (the checks are then verified).")
    boolean markDone;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1", description = "Hosts fixed at once (default: ${DEFAULT-VALUE}: one after another, stopping at the first failure).")
    int parallel;

    @Option(names = "--lock-dir", paramLabel = "PATH", defaultValue = FixRunner.DEFAULT_LOCK_DIR,
            description = "Where each host keeps the fix locks, one directory per lock name (default: ${DEFAULT-VALUE}).")
    String lockDir;

    @Option(names = "--clear-lock", paramLabel = "NAME", arity = "0..1", fallbackValue = "",
            description = "Remove a fix lock a crashed or killed run left behind (all of them without NAME): shows who holds it and asks first (--yes: without asking).")
    String clearLock;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Timeout of the checks run before and after (default 10s).")
    String timeout;

    private Terminal terminal;

    @Override
    public Integer call() {
        if (clearLock != null) return clearLocks();
        if (id == null && !failed) throw new UserError("name a fix (tria-ready fix ID) or use --failed (see 'tria-ready list')");
        if (id != null && failed) throw new UserError("give a fix id or --failed, not both");
        if (parallel < 1 || parallel > 100) throw new UserError("--parallel " + parallel + ": must be between 1 and 100");
        Secrets secrets = new Secrets();
        // the plan, the steps' output and the outcome are printed as they come: masked line by line
        PrintWriter out = new PrintWriter(new MaskingWriter(spec.commandLine().getOut(), secrets), true);
        terminal = Terminal.of(root);
        Target target = Loading.target(playbookOptions, Interpolator.External.RESOLVE, secrets, root.env());
        Playbook playbook = Loading.playbook(playbookOptions, PlaybookLoader.Options.forAudit(target, playbookOptions.varMap(), secrets, root.env()));
        SecretWarnings.print(secrets, target, playbook, spec.commandLine().getErr());
        FixRunner.Options options = new FixRunner.Options(dryRun, parallel, lockDir, operator(),
                AuditCommand.duration("--timeout", timeout, RunOptions.DEFAULT_TIMEOUT, Fields.MAX_WAIT));
        FixRunner runner = new FixRunner(BuiltIns.hostConnectors(), secrets, VersionProvider.version())
                .speedTricks(SpeedTricks.of(noSpeedTricks, root.env().apply(SpeedTricks.ENV)));
        if (noStore && storeOptions.store != null) throw new UserError("--store and --no-store do not go together: use one");
        Recorder recorder = noStore ? Recorder.off() : Recorder.of(storeOptions.spec(root.env()), spec.commandLine().getErr());

        List<FixDef> fixes = new ArrayList<>();
        if (failed) {
            fixes.addAll(fixesOfFailedChecks(playbook, target, secrets, out));
            if (fixes.isEmpty()) return 0;
        } else {
            fixes.add(resolve(playbook, id));
        }
        for (FixDef f : fixes) requireApprovalPossible(f);
        // Ctrl-C: stop the running step, release the host locks, and record the fix as interrupted before the JVM exits (130)
        CountDownLatch recorded = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            runner.cancel();
            try {
                recorded.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "tria-fix-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            boolean allFixed = true;
            for (FixDef fix : fixes) {
                if (runner.isCancelled()) break;
                FixResult r = runner.run(playbook, fix, target, options, plan -> approve(plan, out),
                        new LiveOutput(out, secrets, new FixReport(common.color() && terminal.interactive())));
                new FixReport(common.color() && terminal.interactive()).print(r, out);
                if (FixLog.worthRecording(r)) {
                    try {
                        recorder.recordFix(r, secrets.mask(FixLog.json(r)));
                    } catch (java.io.IOException e) {
                        spec.commandLine().getErr().println("tria-ready: warning: the fix is not recorded in history: " + e.getMessage());
                    }
                }
                if (r.status() == FixStatus.INTERRUPTED) return ExitCodes.INTERRUPTED;
                allFixed &= r.succeeded() || (r.status() == FixStatus.DRY_RUN && dryRun);
            }
            return allFixed ? 0 : ExitCodes.NOT_READY;
        } finally {
            recorded.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running, the JVM exits with 130
            }
        }
    }

    /** {@code --clear-lock [NAME]}: shows the fix locks held on the target's hosts and removes them once the user agrees. */
    private int clearLocks() {
        if (id != null || failed) throw new UserError("--clear-lock removes locks; it does not go with a fix id or --failed");
        if (!clearLock.isEmpty() && !clearLock.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) throw new UserError("--clear-lock " + clearLock + ": invalid lock name");
        PrintWriter out = spec.commandLine().getOut();
        terminal = Terminal.of(root);
        Secrets secrets = new Secrets();
        Target target = Loading.target(playbookOptions, Interpolator.External.RESOLVE, secrets);
        FixRunner runner = new FixRunner(BuiltIns.hostConnectors(), secrets, VersionProvider.version());
        FixRunner.Options options = new FixRunner.Options(false, 1, lockDir, operator(), AuditCommand.duration("--timeout", timeout, RunOptions.DEFAULT_TIMEOUT));
        List<FixRunner.LockInfo> held;
        try {
            held = runner.locks(target, options).stream().filter(l -> clearLock.isEmpty() || l.name().equals(clearLock)).toList();
        } catch (Exception e) {
            spec.commandLine().getErr().println("tria-ready: cannot read the locks on " + target.name() + ": " + secrets.mask(String.valueOf(e.getMessage())));
            return ExitCodes.NOT_READY;
        }
        if (held.isEmpty()) {
            out.println("no fix lock" + (clearLock.isEmpty() ? "" : " '" + clearLock + "'") + " held on " + target.name() + " (" + lockDir + ")");
            return 0;
        }
        for (FixRunner.LockInfo l : held) out.println("  " + l.host() + "  " + lockDir + "/" + l.name() + "  held by " + l.owner());
        out.flush();
        if (!yes) {
            if (!terminal.interactive()) throw new UserError("--clear-lock: no terminal to ask; re-run with --yes once you are sure those runs are gone");
            if (!terminal.confirm("Remove " + (held.size() == 1 ? "this lock" : "these " + held.size() + " locks") + "? Only if that run is gone. [y/N] ")) {
                out.println("not approved: no lock removed");
                return ExitCodes.NOT_READY;
            }
        }
        try {
            runner.clearLocks(target, options, held);
        } catch (Exception e) {
            spec.commandLine().getErr().println("tria-ready: cannot remove the lock: " + secrets.mask(String.valueOf(e.getMessage())));
            return ExitCodes.NOT_READY;
        }
        out.println("removed " + held.size() + " lock" + (held.size() == 1 ? "" : "s"));
        return 0;
    }

    /** A fix id, or a check id that names its fix. */
    private static FixDef resolve(Playbook playbook, String id) {
        return playbook.fix(id).or(() -> playbook.check(id).flatMap(c -> c.fix() == null ? java.util.Optional.empty() : playbook.fix(c.fix())))
                .orElseThrow(() -> {
                    List<String> ids = new ArrayList<>(playbook.fixes().stream().map(FixDef::id).toList());
                    String hint = Suggest.didYouMean(id, ids);
                    if (playbook.check(id).isPresent()) return new UserError("check '" + id + "' has no fix in playbook " + playbook.id());
                    return new UserError("unknown fix '" + id + "' in playbook " + playbook.id() + hint
                            + (ids.isEmpty() ? " (it has no fixes)" : " (fixes: " + String.join(", ", ids) + ")"));
                });
    }

    /** Refuses up front, before anything runs, when no approval could ever be given. */
    private void requireApprovalPossible(FixDef fix) {
        if (dryRun) return;
        if (fix.isManual()) return; // shows instructions; marking done needs a terminal or --mark-done, checked at the prompt
        if (!terminal.interactive()) {
            if (!yes) throw new UserError("fix " + fix.id() + ": no terminal to ask for confirmation; re-run with --yes to apply it (or --dry-run to see the plan)");
            if (fix.disruption() == FixDef.Disruption.HIGH && !allowDisruption) {
                throw new UserError("fix " + fix.id() + " is marked disruption: high; without a terminal it also needs --allow-disruption");
            }
        }
    }

    private boolean approve(FixRunner.Plan plan, PrintWriter out) {
        FixDef fix = plan.fix();
        if (fix.isManual()) {
            if (markDone) return true;
            if (!terminal.interactive()) return false;
            return terminal.confirm("Has this been done? Mark it done and verify [y/N] ");
        }
        if (yes) return true;
        return terminal.confirm("Apply fix " + fix.id() + " to " + (plan.hosts().isEmpty() ? "target " + plan.target() : plan.hosts().size() + " host"
                + (plan.hosts().size() == 1 ? "" : "s")) + "? [y/N] ");
    }

    private List<FixDef> fixesOfFailedChecks(Playbook playbook, Target target, Secrets secrets, PrintWriter out) {
        Set<Phase> ph = new java.util.HashSet<>();
        for (String p : phases) ph.add(SelectionOptions.phase(p, "--phase"));
        Selection selection = new Selection(ph, Set.of(), Set.of(), Set.of());
        RunResult audit = new Engine(BuiltIns.hostConnectors()).run(playbook, target, RunOptions.defaults().withSelection(selection), secrets,
                RunListener.NONE, VersionProvider.version());
        Set<String> ids = new LinkedHashSet<>();
        List<String> withoutFix = new ArrayList<>();
        for (CheckResult c : audit.checks()) {
            if (c.outcome() == Outcome.SKIPPED || c.outcome().passed() || c.outcome() == Outcome.BLOCKED) continue;
            if (c.fix() != null) ids.add(c.fix());
            else withoutFix.add(c.id());
        }
        out.println(audit.checks().stream().filter(c -> c.outcome() != Outcome.SKIPPED && !c.outcome().passed()).count() + " check(s) not passing; "
                + ids.size() + " fix(es) to offer" + (withoutFix.isEmpty() ? "" : "; no fix for: " + String.join(", ", withoutFix)));
        return ids.stream().map(i -> playbook.fix(i).orElseThrow()).toList();
    }

    private static String operator() {
        String user = System.getProperty("user.name", "unknown");
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return user + "@" + host;
    }

    /** Streams step output, prefixed by host. */
    private record LiveOutput(PrintWriter out, Secrets secrets, FixReport report) implements FixListener {
        @Override
        public void plan(FixRunner.Plan plan) {
            synchronized (out) {
                report.printPlan(plan, out);
            }
        }

        @Override
        public void output(String host, String line) {
            synchronized (out) {
                out.println("  [" + host + "] " + TerminalSafe.text(secrets.mask(line)));
                out.flush();
            }
        }

        @Override
        public void stepStarted(String host, int index, String description) {
            synchronized (out) {
                out.println("→ [" + host + "] step " + index + ": " + description);
                out.flush();
            }
        }

        @Override
        public void stepFinished(String host, int index, boolean ok, String message) {
            synchronized (out) {
                out.println((ok ? "  ✓ " : "  ✗ ") + "[" + host + "] " + TerminalSafe.text(message));
                out.flush();
            }
        }

        @Override
        public void note(String message) {
            synchronized (out) {
                out.println("· " + message);
                out.flush();
            }
        }
    }

}

package io.triaready.fix;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import io.triaready.base.secret.Secrets;
import io.triaready.core.engine.Engine;
import io.triaready.core.engine.RunListener;
import io.triaready.core.engine.RunOptions;
import io.triaready.core.engine.RunResult;
import io.triaready.core.engine.Selection;
import io.triaready.core.playbook.CheckDef;
import io.triaready.core.playbook.FixDef;
import io.triaready.core.playbook.FixStep;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;
import io.triaready.spi.HostConnectors;
import io.triaready.spi.HostSpec;
import io.triaready.spi.HostTransport;
import io.triaready.spi.Session;
import io.triaready.spi.SpeedTricks;
import io.triaready.spi.Target;

/**
 * Applies a fix safely, then proves it worked:
 * <ol>
 * <li>runs the checks the fix repairs; if they already pass there is nothing to fix;</li>
 * <li>runs its {@code requires} checks; a precondition that fails stops here;</li>
 * <li>asks for approval of the plan (the caller decides how: a prompt, {@code --yes}, or a refusal);</li>
 * <li>host by host ({@code parallel} at a time), takes the host's lock and runs the steps in order; the
 *     first failing step stops the fix there, runs {@code rollback}, and no further host is touched;</li>
 * <li>runs the repaired checks again (with their retry budget): FIXED or STILL FAILING.</li>
 * </ol>
 * {@code run} steps run on every host; {@code http} and {@code sql} steps run once, from this machine,
 * during the first host's turn; {@code wait} polls its check on the host being fixed.
 */
public final class FixRunner {
    /** Where each host keeps the fix locks: one directory per lock name (see {@link HostLock}). */
    public static final String DEFAULT_LOCK_DIR = "/tmp/tria-ready-fix.locks";

    /** {@code parallel}: hosts fixed at once (1: strictly one after another). */
    public record Options(boolean dryRun, int parallel, String lockDir, String operator, Duration checkTimeout) {
        public static Options defaults(String operator) {
            return new Options(false, 1, DEFAULT_LOCK_DIR, operator, RunOptions.DEFAULT_TIMEOUT);
        }
    }

    /** What will be done, for the user to approve. Step lines are interpolated and masked. */
    public record Plan(FixDef fix, String target, List<String> hosts, List<String> steps, List<String> rollback, List<String> verify) {}

    /** Decides whether a plan may run. */
    @FunctionalInterface
    public interface Approval {
        boolean approve(Plan plan);
    }

    final HostConnectors connectors;
    final Secrets secrets;
    private final String toolVersion;
    /** Set by {@link #cancel}: no new stage starts, the running step is stopped. */
    private volatile boolean cancelled;
    private volatile Engine checking;
    /** The pool applying the steps host by host, while it runs: {@link #cancel} stops it. */
    volatile ExecutorService applying;
    /** The fix's connections: closed on cancel, because an SSH command's wait does not end on an interrupt. */
    private volatile Session fixSession;

    public FixRunner(HostConnectors connectors, Secrets secrets, String toolVersion) {
        this.connectors = connectors;
        this.secrets = secrets;
        this.toolVersion = toolVersion;
    }

    /** The speed tricks of every connection the fix opens ({@code fix --no-speed-tricks}); the process's default otherwise. */
    private volatile SpeedTricks speedTricks;

    public FixRunner speedTricks(SpeedTricks tricks) {
        this.speedTricks = tricks;
        return this;
    }

    /** A session for the fix's connections, with the fix's speed tricks. */
    Session newSession() {
        Session s = new Session();
        if (speedTricks != null) s.useSpeedTricks(speedTricks);
        return s;
    }

    /**
     * Stops the fix (Ctrl-C): the checks in flight are cancelled, the running step is interrupted (a
     * local command and its children are killed; an SSH step's channel is closed), the host locks are
     * released, rollback is not run, and {@link #run} returns INTERRUPTED so the caller records it.
     */
    public void cancel() {
        cancelled = true;
        Engine e = checking;
        if (e != null) e.cancel();
        ExecutorService p = applying;
        if (p != null) p.shutdownNow();
        // an SSH step waits on its channel, which an interrupt does not end: closing the connections does
        // (the locks are then released over a new connection, see HostSteps)
        Session fs = fixSession;
        if (fs != null) fs.closeInBackground();
    }

    public boolean isCancelled() { return cancelled; }

    public Plan plan(Playbook playbook, FixDef fix, Target target) {
        return new Plan(fix, target.name(), target.hosts().stream().map(HostSpec::name).toList(),
                fix.steps().stream().map(s -> secrets.mask(s.script()) + (s.perHost() ? "" : "   (once, from this machine)")).toList(),
                fix.rollback().stream().map(s -> secrets.mask(s.script())).toList(),
                playbook.checksRepairedBy(fix).stream().map(CheckDef::id).toList());
    }

    public FixResult run(Playbook playbook, FixDef fix, Target target, Options options, Approval approval, FixListener listener) {
        Instant started = Instant.now();
        List<String> verifyIds = playbook.checksRepairedBy(fix).stream().map(CheckDef::id).toList();
        List<String> hosts = target.hosts().stream().map(HostSpec::name).toList();
        try (Session session = newSession()) {
            fixSession = session;
            if (cancelled) session.closeInBackground();
            listener.note("checking " + (verifyIds.isEmpty() ? "(no checks to verify)" : String.join(", ", verifyIds)) + " on " + target.name());
            Map<String, Outcome> before = outcomes(check(playbook, target, verifyIds, options, session), verifyIds);
            if (cancelled) return interrupted(fix, playbook, target, hosts, options, started, "interrupted while checking: nothing was changed", List.of(), before);
            if (!verifyIds.isEmpty() && before.values().stream().allMatch(Outcome::passed)) {
                return result(fix, playbook, target, hosts, options, started, FixStatus.NOTHING_TO_FIX,
                        "nothing to fix: " + String.join(", ", verifyIds) + " already pass" + (verifyIds.size() == 1 ? "es" : ""), List.of(), before, before);
            }
            if (!fix.requires().isEmpty()) {
                Map<String, Outcome> pre = outcomes(check(playbook, target, fix.requires(), options, session), fix.requires());
                List<String> failing = pre.entrySet().stream().filter(e -> !e.getValue().passed()).map(e -> e.getKey() + " " + e.getValue().id()).toList();
                if (!failing.isEmpty()) {
                    return result(fix, playbook, target, hosts, options, started, FixStatus.PRECONDITION_FAILED,
                            "precondition not met: " + String.join(", ", failing) + "; nothing was changed", List.of(), before, before);
                }
            }
            Plan plan = plan(playbook, fix, target);
            listener.plan(plan);
            if (fix.isManual()) {
                boolean done = !options.dryRun() && approval.approve(plan);
                if (!done) return result(fix, playbook, target, hosts, options, started, FixStatus.MANUAL,
                        "manual fix: follow the instructions, then run it again to verify", List.of(), before, before);
                RunResult verified = check(playbook, target, verifyIds, options, session);
                Map<String, Outcome> after = outcomes(verified, verifyIds);
                boolean fixed = after.values().stream().allMatch(Outcome::passed);
                return result(fix, playbook, target, hosts, options, started, fixed ? FixStatus.FIXED : FixStatus.STILL_FAILING,
                        fixed ? "marked done by " + options.operator() + " and verified" : "marked done, but " + failingList(after) + " still do" + (failingList(after).contains(",") ? "" : "es") + " not pass"
                                + reasonSuffix(verified, after),
                        List.of(), before, after, reasons(verified, after));
            }
            if (options.dryRun()) {
                return result(fix, playbook, target, hosts, options, started, FixStatus.DRY_RUN, "dry run: nothing was changed", List.of(), before, before);
            }
            if (!approval.approve(plan)) {
                return result(fix, playbook, target, hosts, options, started, FixStatus.NOT_APPROVED, "not approved: nothing was changed", List.of(), before, before);
            }
            if (cancelled) return interrupted(fix, playbook, target, hosts, options, started, "interrupted before the first step: nothing was changed", List.of(), before);
            boolean needsHosts = fix.steps().stream().anyMatch(FixStep::perHost);
            if (needsHosts && target.hosts().isEmpty()) {
                return result(fix, playbook, target, hosts, options, started, FixStatus.FIX_ERROR,
                        "target '" + target.name() + "' has no hosts to run the fix on", List.of(), before, before);
            }
            List<StepLog> log = Collections.synchronizedList(new ArrayList<>());
            HostSteps.Outcome outcome = new HostSteps(this, playbook, fix, target, options, session, listener, log).applyToHosts();
            if (cancelled || outcome.status() == FixStatus.INTERRUPTED) {
                return interrupted(fix, playbook, target, hosts, options, started,
                        outcome.status() == FixStatus.INTERRUPTED ? outcome.message() : "interrupted: the steps were stopped; rollback not run", log, before);
            }
            if (outcome.status() != null) {
                if (outcome.status() == FixStatus.LOCKED) return result(fix, playbook, target, hosts, options, started, outcome.status(), outcome.message(), log, before, before);
                RunResult verified = check(playbook, target, verifyIds, options, session);
                Map<String, Outcome> after = outcomes(verified, verifyIds);
                return result(fix, playbook, target, hosts, options, started, outcome.status(), outcome.message(), log, before, after, reasons(verified, after));
            }
            listener.note("verifying " + String.join(", ", verifyIds));
            RunResult verified = check(playbook, target, verifyIds, options, session);
            if (cancelled) return interrupted(fix, playbook, target, hosts, options, started, "interrupted while verifying: the steps ran; run the fix again to verify", log, before);
            Map<String, Outcome> after = outcomes(verified, verifyIds);
            boolean fixed = after.values().stream().allMatch(Outcome::passed);
            return result(fix, playbook, target, hosts, options, started, fixed ? FixStatus.FIXED : FixStatus.STILL_FAILING,
                    fixed ? (verifyIds.size() == 1 ? verifyIds.get(0) + " passes now" : "all " + verifyIds.size() + " repaired checks pass")
                            : failingList(after) + " still not passing" + reasonSuffix(verified, after),
                    log, before, after, reasons(verified, after));
        }
    }

    RunResult check(Playbook playbook, Target target, List<String> ids, Options options, Session session) {
        Selection only = new Selection(Set.of(), Set.copyOf(ids), Set.of(), Set.of());
        RunOptions run = new RunOptions(only, RunOptions.DEFAULT_CONCURRENCY, options.checkTimeout(), null, 100);
        Engine engine = new Engine(connectors);
        checking = engine;
        if (cancelled) engine.cancel();
        try {
            return engine.run(playbook, target, run, secrets, RunListener.NONE, toolVersion, session);
        } finally {
            checking = null;
        }
    }

    /** Each repaired check that does not pass, with its own message: why it still fails. */
    private static Map<String, String> reasons(RunResult r, Map<String, Outcome> after) {
        Map<String, String> out = new LinkedHashMap<>();
        for (CheckResult c : r.checks()) {
            Outcome o = after.get(c.id());
            if (o != null && !o.passed() && c.message() != null) out.put(c.id(), c.message());
        }
        return out;
    }

    /** ": <message of the first failing check>" for the one-line result. */
    private static String reasonSuffix(RunResult r, Map<String, Outcome> after) {
        Map<String, String> why = reasons(r, after);
        if (why.isEmpty()) return "";
        Map.Entry<String, String> first = why.entrySet().iterator().next();
        return why.size() == 1 ? ": " + first.getValue() : " (" + first.getKey() + ": " + first.getValue() + ")";
    }

    private FixResult interrupted(FixDef fix, Playbook playbook, Target target, List<String> hosts, Options options, Instant started, String message,
                                  List<StepLog> steps, Map<String, Outcome> before) {
        return result(fix, playbook, target, hosts, options, started, FixStatus.INTERRUPTED, message, steps, before, Map.of());
    }

    private static Map<String, Outcome> outcomes(RunResult r, List<String> ids) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        for (String id : ids) {
            r.checks().stream().filter(c -> c.id().equals(id)).findFirst().ifPresent(c -> out.put(id, c.outcome()));
        }
        return out;
    }

    private static String failingList(Map<String, Outcome> after) {
        return String.join(", ", after.entrySet().stream().filter(e -> !e.getValue().passed()).map(Map.Entry::getKey).toList());
    }

    private FixResult result(FixDef fix, Playbook playbook, Target target, List<String> hosts, Options options, Instant started, FixStatus status,
                             String message, List<StepLog> steps, Map<String, Outcome> before, Map<String, Outcome> after) {
        return result(fix, playbook, target, hosts, options, started, status, message, steps, before, after, Map.of());
    }

    private FixResult result(FixDef fix, Playbook playbook, Target target, List<String> hosts, Options options, Instant started, FixStatus status,
                             String message, List<StepLog> steps, Map<String, Outcome> before, Map<String, Outcome> after, Map<String, String> reasons) {
        Map<String, String> masked = new LinkedHashMap<>();
        reasons.forEach((k, v) -> masked.put(k, secrets.mask(v)));
        return new FixResult(fix.id(), fix.title(), playbook.id(), target.name(), hosts, options.operator(), started, Instant.now(), status,
                secrets.mask(message), new ArrayList<>(steps), before, after, masked);
    }

    /** A lock found on a host: which host, its name, who holds it. */
    public record LockInfo(String host, String name, String owner) {}

    /** The fix locks held on every host of the target (for {@code fix --clear-lock}). */
    public List<LockInfo> locks(Target target, Options options) throws Exception {
        List<LockInfo> out = new ArrayList<>();
        try (Session session = newSession()) {
            for (HostSpec host : target.hosts().isEmpty() ? List.of(HostSpec.LOCAL) : target.hosts()) {
                HostTransport t = connectors.connect(host, session, options.checkTimeout());
                for (HostLock.Held h : HostLock.list(t, options.lockDir(), options.checkTimeout())) out.add(new LockInfo(host.name(), h.name(), h.owner()));
            }
        }
        return out;
    }

    /** Removes the given locks (as {@link #locks} found them), whoever holds them. */
    public void clearLocks(Target target, Options options, List<LockInfo> locks) throws Exception {
        try (Session session = newSession()) {
            session.markMayChangeTargets();
            for (HostSpec host : target.hosts().isEmpty() ? List.of(HostSpec.LOCAL) : target.hosts()) {
                List<LockInfo> here = locks.stream().filter(l -> l.host().equals(host.name())).toList();
                if (here.isEmpty()) continue;
                HostTransport t = connectors.connect(host, session, options.checkTimeout());
                for (LockInfo l : here) HostLock.clear(t, options.lockDir(), l.name(), options.checkTimeout());
            }
        }
    }

}

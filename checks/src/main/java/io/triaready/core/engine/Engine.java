package io.triaready.core.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import io.triaready.base.secret.Secrets;
import io.triaready.core.playbook.CheckDef;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.HostResult;
import io.triaready.core.result.Outcome;
import io.triaready.core.score.Score;
import io.triaready.core.score.Scorer;
import io.triaready.core.score.Verdict;
import io.triaready.spi.HostConnectors;
import io.triaready.spi.HostSpec;
import io.triaready.spi.Scope;
import io.triaready.spi.Session;
import io.triaready.spi.Target;

/**
 * Runs a playbook against a target. Every selected check goes to one scheduler: a check starts as
 * soon as its dependencies are done, at most {@code concurrency} observations run at once, each
 * attempt is bounded by its timeout (a hung target costs its timeout, never more), and the run
 * by its deadline. A dependency that did not pass blocks its dependents ("blocked by").
 * Checks that do not run are SKIPPED with the reason ({@link Selection#plan}); dependencies of
 * selected checks run even when filtered out, because a check cannot be judged without them.
 */
public final class Engine {
    /** The message of a check the run's deadline came before. */
    public static final String NOT_STARTED = "not started before the deadline";
    final HostConnectors connectors;
    private volatile boolean cancelled;
    /** The run's secrets, to mask what results quote from the playbook (its expectations). */
    private volatile Secrets runSecrets;
    /** Observations in flight, for {@link #cancel()}. */
    final Set<Future<?>> running = Collections.synchronizedSet(new LinkedHashSet<>());

    public Engine(HostConnectors connectors) {
        this.connectors = connectors;
    }

    /** Stops the run: nothing new starts, observations in flight are interrupted, the partial result is returned. */
    public void cancel() {
        cancelled = true;
        synchronized (running) {
            running.forEach(f -> f.cancel(true));
        }
    }

    public boolean isCancelled() { return cancelled; }

    /**
     * Starts connecting to every host of the target in the background, into {@code session}, so the
     * handshakes (the slowest part of an SSH audit) overlap loading the playbook and the first checks.
     * Failures are left in the session for the checks to report.
     */
    public void preconnect(Target target, Session session, Duration timeout, int concurrency) {
        session.expectObservationsPerHost(concurrency / Math.max(1, target.hosts().size()));
        session.markReadOnly(); // an audit's session: see run()
        for (HostSpec host : target.hosts()) {
            if (host.transport().equals("local")) continue;
            Thread t = new Thread(() -> {
                try {
                    connectors.connect(host, session, timeout);
                } catch (Exception ignored) {
                    // the session remembers the failure; each check on the host reports it
                }
            }, "tria-preconnect-" + host.name());
            t.setDaemon(true);
            t.start();
        }
    }

    public RunResult run(Playbook playbook, Target target, RunOptions options, Secrets secrets, RunListener listener, String toolVersion) {
        try (Session session = new Session()) {
            session.markReadOnly();
            return run(playbook, target, options, secrets, listener, toolVersion, session);
        }
    }

    /**
     * Runs with the caller's session (its connections are reused and stay open afterwards): a fix
     * checks, changes and re-checks a host over one SSH connection. An audit's session is marked
     * read-only (its checks only observe), a fix's is not; destructive checks unmark it.
     */
    public RunResult run(Playbook playbook, Target target, RunOptions options, Secrets secrets, RunListener listener, String toolVersion,
                         Session session) {
        if (options.selection().destructive()) session.markMayChangeTargets();
        runSecrets = secrets;
        Instant started = Instant.now();
        Instant deadline = options.deadline() == null ? null : started.plus(options.deadline());
        Map<String, CheckDef> byId = new LinkedHashMap<>();
        playbook.checks().forEach(c -> byId.put(c.id(), c));
        Selection.Plan plan = options.selection().plan(playbook.checks());
        Set<String> toRun = plan.toRun();
        listener.planned(toRun.size());

        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tria-check-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Semaphore permits = new Semaphore(Math.max(1, options.concurrency()));
        // A check on a group fans out to its hosts from here: no more threads than observations that may run
        // at once, so a fleet of 100 hosts costs a queue, not 100 threads per check waiting for a permit.
        AtomicInteger hostThreadNo = new AtomicInteger();
        ExecutorService perHost = Executors.newFixedThreadPool(Math.max(1, options.concurrency()), r -> {
            Thread t = new Thread(r, "tria-host-" + hostThreadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Map<String, CompletableFuture<CheckResult>> futures = new HashMap<>();
        Map<String, CheckResult> results = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            Attempts attempts = new Attempts(this, target, session, secrets, workers, perHost, permits, deadline, options.defaultTimeout());
            for (String id : topological(toRun, byId)) {
                CheckDef c = byId.get(id);
                CompletableFuture<?>[] deps = c.dependsOn().stream().map(futures::get).toArray(CompletableFuture[]::new);
                CompletableFuture<CheckResult> f = CompletableFuture.allOf(deps).thenApplyAsync(ignored -> {
                    CheckResult r = runCheck(c, results, attempts, listener);
                    results.put(c.id(), r);
                    listener.finished(r);
                    return r;
                }, workers);
                futures.put(id, f);
            }
            for (CompletableFuture<CheckResult> f : futures.values()) {
                try {
                    f.join();
                } catch (RuntimeException e) {
                    // runCheck never throws; a failure here is a bug that must not lose the other results
                }
            }
        } finally {
            workers.shutdownNow();
            perHost.shutdownNow();
        }
        List<CheckResult> ordered = new ArrayList<>();
        for (CheckDef c : playbook.checks()) {
            CheckResult r = results.get(c.id());
            if (r == null && toRun.contains(c.id())) {
                r = result(c, Outcome.ERROR, "did not run (internal error)", null, List.of(), 0);
            }
            if (r == null) {
                // not run: SKIPPED, out of the score, and named with its reason in every report (docs/scoring.md)
                Selection.NotRun why = plan.notRun().get(c.id());
                r = result(c, Outcome.SKIPPED, why == null ? "not selected" : why.reason(), why == null ? null : why.dependency(), List.of(), 0);
            }
            ordered.add(r);
        }
        Score score = Scorer.score(ordered, playbook.categories());
        Verdict verdict = Scorer.verdict(score, ordered, options.failUnder());
        return new RunResult(RunResult.SCHEMA, toolVersion, playbook.id(), playbook.title(), playbook.source(), target.name(),
                target.hosts().stream().map(HostSpec::name).toList(), started, Instant.now(), options.selection().describe(),
                ordered, score, options.failUnder(), verdict, cancelled);
    }

    /** Dependencies before dependents (the loader has rejected cycles). */
    private static List<String> topological(Set<String> ids, Map<String, CheckDef> byId) {
        List<String> order = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        for (String id : byId.keySet()) if (ids.contains(id)) visit(id, byId, done, order);
        return order;
    }

    private static void visit(String id, Map<String, CheckDef> byId, Set<String> done, List<String> order) {
        if (!done.add(id)) return;
        for (String d : byId.get(id).dependsOn()) visit(d, byId, done, order);
        order.add(id);
    }

    private CheckResult runCheck(CheckDef c, Map<String, CheckResult> results, Attempts attempts, RunListener listener) {
        for (String dep : c.dependsOn()) {
            CheckResult d = results.get(dep);
            if (d == null || !d.outcome().passed()) {
                String root = d != null && d.outcome() == Outcome.BLOCKED && d.blockedBy() != null ? d.blockedBy() : dep;
                String why = d == null ? "did not run" : d.outcome().id();
                return result(c, Outcome.BLOCKED, "blocked by " + root + (root.equals(dep) ? " (" + why + ")" : " (via " + dep + ")"), root,
                        List.of(), 0);
            }
        }
        if (cancelled) return result(c, Outcome.ERROR, "interrupted before it started", null, List.of(), 0);
        if (attempts.deadline != null && !Instant.now().isBefore(attempts.deadline)) {
            return result(c, Outcome.ERROR, NOT_STARTED, null, List.of(), 0);
        }
        listener.started(c);
        List<HostResult> hosts;
        if (c.probe().scope() == Scope.TARGET) {
            hosts = List.of(attempts.run(c, null));
        } else if (attempts.target.hosts().isEmpty()) {
            return result(c, Outcome.ERROR, "target '" + attempts.target.name() + "' has no hosts to run this check on (add ssh: or hosts: to it in the inventory)",
                    null, List.of(), 0);
        } else if (attempts.target.hosts().size() == 1) {
            hosts = List.of(attempts.run(c, attempts.target.hosts().get(0)));
        } else {
            List<CompletableFuture<HostResult>> perHost = attempts.target.hosts().stream()
                    .map(h -> CompletableFuture.supplyAsync(() -> attempts.run(c, h), attempts.perHost)).toList();
            hosts = perHost.stream().map(CompletableFuture::join).toList();
        }
        HostResult worst = hosts.stream().max((a, b) -> Integer.compare(a.outcome().severity(), b.outcome().severity())).orElseThrow();
        String message = worst.message();
        if (hosts.size() > 1) {
            List<String> bad = hosts.stream().filter(h -> !h.outcome().passed()).map(HostResult::host).toList();
            message = bad.isEmpty()
                    ? "all " + hosts.size() + " hosts passed"
                    : bad.size() + " of " + hosts.size() + " hosts " + worst.outcome().id() + ": " + String.join(", ", bad) + " — " + worst.message();
        }
        // the target's time: the longest host (hosts run side by side), without their waits for a permit or slot
        return result(c, worst.outcome(), message, null, hosts, hosts.stream().mapToLong(HostResult::durationMs).max().orElse(0));
    }

    private CheckResult result(CheckDef c, Outcome o, String message, String blockedBy, List<HostResult> hosts, long ms) {
        Secrets s = runSecrets;
        String expect = c.expect() == null ? null : String.join("; ", c.expect().describe());
        return new CheckResult(c.id(), c.title(), c.phase(), c.category(), c.weight(), c.tags(), c.fix(), c.type(),
                c.probe().describe(), o, message, blockedBy, hosts, ms, expect == null || s == null ? expect : s.mask(expect));
    }

}

package io.triaready.fix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Durations;
import io.triaready.core.engine.RunResult;
import io.triaready.core.playbook.FixDef;
import io.triaready.core.playbook.FixStep;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.result.CheckResult;
import io.triaready.spi.Deadline;
import io.triaready.spi.HostSpec;
import io.triaready.spi.HostTransport;
import io.triaready.spi.Session;
import io.triaready.spi.Target;

/**
 * The step execution of one approved fix ({@link FixRunner}): host by host ({@code parallel} at a time),
 * under each host's lock, the steps in order; the first failing step runs {@code rollback} there and no
 * further host is touched. {@code http} and {@code sql} steps run once, during the first host's turn.
 */
final class HostSteps {
    private final FixRunner fixer;
    private final Playbook playbook;
    private final FixDef fix;
    private final Target target;
    private final FixRunner.Options options;
    private final Session session;
    private final FixListener listener;
    private final List<StepLog> log;
    private final Secrets secrets;

    HostSteps(FixRunner fixer, Playbook playbook, FixDef fix, Target target, FixRunner.Options options, Session session,
              FixListener listener, List<StepLog> log) {
        this.fixer = fixer;
        this.playbook = playbook;
        this.fix = fix;
        this.target = target;
        this.options = options;
        this.session = session;
        this.listener = listener;
        this.log = log;
        this.secrets = fixer.secrets;
    }

    /** How applying the steps ended: a status and message, or (status null) every step succeeded on every host. */
    record Outcome(FixStatus status, String message) {}

    Outcome applyToHosts() {
        List<HostSpec> hosts = target.hosts().isEmpty() ? List.of(HostSpec.LOCAL) : target.hosts();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean targetStepsDone = new AtomicBoolean();
        List<Outcome> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(options.parallel(), hosts.size())), r -> {
            Thread t = new Thread(r, "tria-fix");
            t.setDaemon(true);
            return t;
        });
        fixer.applying = pool;
        if (fixer.isCancelled()) pool.shutdownNow();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (HostSpec host : hosts) {
                if (fixer.isCancelled()) break;
                running.add(pool.submit(() -> {
                    if (stop.get() || fixer.isCancelled()) return;
                    Outcome o = applyToHost(host, targetStepsDone);
                    if (o != null) {
                        failures.add(o);
                        stop.set(true); // a bad fix must not reach the rest of the fleet
                    }
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (java.util.concurrent.CancellationException e) {
                    // not started: fixer.isCancelled()
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fixer.cancel();
                } catch (Exception e) {
                    failures.add(new Outcome(FixStatus.FIX_ERROR, "internal error: " + e.getMessage()));
                }
            }
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // fixer.isCancelled() while hosts were being handed out
        } finally {
            pool.shutdownNow();
            fixer.applying = null;
        }
        if (failures.isEmpty()) return new Outcome(null, null);
        Outcome first = failures.get(0);
        List<String> untouched = hosts.stream().map(HostSpec::name)
                .filter(h -> log.stream().noneMatch(l -> l.host().equals(h)) && !h.equals("local")).toList();
        return untouched.isEmpty() ? first : new Outcome(first.status(), first.message() + "; not applied to " + String.join(", ", untouched));
    }

    /** Runs the steps on one host under its lock; null when they all succeeded. */
    private Outcome applyToHost(HostSpec host, AtomicBoolean targetStepsDone) {
        HostTransport transport;
        try {
            transport = fixer.connectors.connect(host, session, options.checkTimeout());
        } catch (Exception e) {
            return new Outcome(FixStatus.FIX_ERROR, host.name() + ": cannot connect: " + e.getMessage());
        }
        HostLock lock;
        try {
            Object taken = HostLock.acquire(transport, options.lockDir(), fix.lockNames(), options.operator(), fix.id(), options.checkTimeout());
            if (taken instanceof HostLock.Held held) {
                return new Outcome(FixStatus.LOCKED, host.name() + ": lock " + held.name() + " is held by " + held.owner() + " (" + options.lockDir() + "/" + held.name()
                        + "; if that run is gone: tria-ready fix --clear-lock " + held.name() + ")");
            }
            lock = (HostLock) taken;
        } catch (Exception e) {
            return new Outcome(FixStatus.FIX_ERROR, host.name() + ": cannot take the fix lock: " + e.getMessage());
        }
        StepRunner runner = new StepRunner(session, secrets, listener, fixer.connectors);
        try {
            boolean runTargetSteps = targetStepsDone.compareAndSet(false, true);
            List<FixStep> steps = fix.steps();
            for (int i = 0; i < steps.size(); i++) {
                FixStep step = steps.get(i);
                if (!step.perHost() && !runTargetSteps) continue;
                if (fixer.isCancelled()) return new Outcome(FixStatus.INTERRUPTED, "interrupted before step " + (i + 1) + " on " + host.name() + "; rollback not run");
                String where = step.perHost() ? host.name() : "-";
                listener.stepStarted(where, i + 1, secrets.mask(step.describe()));
                long t0 = System.nanoTime();
                try {
                    String message = execute(step, host, transport, runner);
                    log.add(new StepLog(where, i + 1, secrets.mask(step.describe()), true, secrets.mask(message), ms(t0), false));
                    listener.stepFinished(where, i + 1, true, secrets.mask(message));
                } catch (Exception e) {
                    if (fixer.isCancelled() || e instanceof InterruptedException) {
                        // Ctrl-C: the step was stopped (its process killed, or its channel closed); no rollback behind the user's back
                        String message = "interrupted after " + Durations.format(java.time.Duration.ofMillis(ms(t0))) + ": stopped";
                        log.add(new StepLog(where, i + 1, secrets.mask(step.describe()), false, message, ms(t0), false));
                        listener.stepFinished(where, i + 1, false, message);
                        return new Outcome(FixStatus.INTERRUPTED, "interrupted during step " + (i + 1) + " (" + secrets.mask(step.describe()) + ") on " + where
                                + ": the step was stopped, rollback not run; check " + where + " and run the fix again");
                    }
                    String message = secrets.mask(e instanceof StepRunner.StepFailed ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage());
                    log.add(new StepLog(where, i + 1, secrets.mask(step.describe()), false, message, ms(t0), false));
                    listener.stepFinished(where, i + 1, false, message);
                    rollback(host, transport, runner);
                    return new Outcome(FixStatus.FIX_ERROR, "step " + (i + 1) + " (" + secrets.mask(step.describe()) + ") failed on " + where + ": " + message
                            + (fix.rollback().isEmpty() ? "" : "; rollback ran"));
                }
            }
            return null;
        } finally {
            if (fixer.isCancelled() && !host.transport().equals("local")) releaseOverNewConnection(lock, host);
            else lock.release(options.checkTimeout());
        }
    }

    /** After a cancel closed the fix's connections: a new one, only to give the locks back. */
    private void releaseOverNewConnection(HostLock lock, HostSpec host) {
        boolean interrupted = Thread.interrupted();
        try (Session fresh = fixer.newSession()) {
            lock.release(fixer.connectors.connect(host, fresh, options.checkTimeout()), options.checkTimeout());
        } catch (Exception e) {
            // the lock stays behind, naming its owner: tria-ready fix --clear-lock removes it
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void rollback(HostSpec host, HostTransport transport, StepRunner runner) {
        if (fix.rollback().isEmpty()) return;
        listener.note("rolling back on " + host.name());
        for (int i = 0; i < fix.rollback().size(); i++) {
            FixStep step = fix.rollback().get(i);
            String where = step.perHost() ? host.name() : "-";
            long t0 = System.nanoTime();
            try {
                String message = execute(step, host, transport, runner);
                log.add(new StepLog(where, i + 1, secrets.mask(step.describe()), true, secrets.mask(message), ms(t0), true));
                listener.stepFinished(where, i + 1, true, "rollback: " + secrets.mask(message));
            } catch (Exception e) {
                // keep rolling back: each rollback step is independent of the previous one's success
                String message = secrets.mask(e.getMessage());
                log.add(new StepLog(where, i + 1, secrets.mask(step.describe()), false, message, ms(t0), true));
                listener.stepFinished(where, i + 1, false, "rollback: " + message);
            }
        }
    }

    private String execute(FixStep step, HostSpec host, HostTransport transport, StepRunner runner) throws Exception {
        return switch (step.kind()) {
            case RUN -> runner.run(step, host, transport);
            case HTTP -> runner.http(step, target);
            case SQL -> runner.sql(step, target);
            case WAIT -> waitFor(step, host);
        };
    }

    /** Polls a check on the host being fixed until it passes. */
    private String waitFor(FixStep step, HostSpec host) throws Exception {
        Target one = new Target(target.name(), target.hosts().isEmpty() ? List.of() : List.of(host), target.endpoints(), target.vars());
        Deadline deadline = Deadline.of(step.timeout());
        int polls = 0;
        CheckResult last;
        do {
            polls++;
            RunResult r = fixer.check(playbook, one, List.of(step.waitFor()), options, session);
            last = r.checks().stream().filter(c -> c.id().equals(step.waitFor())).findFirst().orElseThrow();
            if (last.outcome().passed()) return step.waitFor() + " passes (after " + polls + " poll" + (polls == 1 ? "" : "s") + ")";
            Thread.sleep(step.interval().toMillis());
        } while (!deadline.remaining().isZero());
        throw new StepRunner.StepFailed(step.waitFor() + " still " + last.outcome().id() + " after " + Durations.format(step.timeout())
                + ": " + last.message());
    }

    private static long ms(long t0) { return (System.nanoTime() - t0) / 1_000_000; }
}

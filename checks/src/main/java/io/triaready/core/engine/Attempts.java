package io.triaready.core.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Durations;
import io.triaready.core.expect.Values;
import io.triaready.core.playbook.CheckDef;
import io.triaready.core.result.HostResult;
import io.triaready.core.result.Outcome;
import io.triaready.spi.Deadline;
import io.triaready.spi.Facts;
import io.triaready.spi.HostSpec;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;
import io.triaready.spi.Target;

/**
 * The engine's scheduling of one check on one host: a permit (the run's concurrency), then attempts,
 * each bounded by the check's {@link Deadline} and stopped by the engine's own guard if the probe
 * overstays it, with retries and backoff.
 */
/** Runs the attempts of one check on one host: timeout per attempt, retries with backoff, concurrency permits. */
final class Attempts {
    /** How long past its deadline the engine lets a probe run before stopping it: time for the probe to say why. */
    private static final Duration GUARD_GRACE = Duration.ofMillis(250);
    private final Engine engine;
    final Target target;
    final Session session;
    final Secrets secrets;
    final ExecutorService workers;
    final ExecutorService perHost;
    final Semaphore permits;
    final Instant deadline;
    final Duration defaultTimeout;

    Attempts(Engine engine, Target target, Session session, Secrets secrets, ExecutorService workers, ExecutorService perHost, Semaphore permits,
             Instant deadline, Duration defaultTimeout) {
        this.engine = engine;
        this.target = target;
        this.session = session;
        this.secrets = secrets;
        this.workers = workers;
        this.perHost = perHost;
        this.permits = permits;
        this.deadline = deadline;
        this.defaultTimeout = defaultTimeout;
    }

    /**
     * Runs the attempts of {@code c} on {@code host}. The duration it reports is the target's: time
     * spent waiting for a permit or for a transport's slot is left out and reported as queued.
     */
    HostResult run(CheckDef c, HostSpec host) {
        String hostName = host == null ? HostResult.TARGET_HOST : host.name();
        long start = System.nanoTime();
        long queuedNanos = 0;
        int maxAttempts = 1 + c.retry().count();
        Observation last = null;
        int attempt = 0;
        while (attempt < maxAttempts) {
            if (attempt > 0) {
                Duration pause = c.retry().delayBefore(attempt);
                if (engine.isCancelled() || (deadline != null && Instant.now().plus(pause).isAfter(deadline))) break;
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            Observation o = observeOnce(c, host);
            queuedNanos += o.queuedNanos();
            // a retry the run's deadline left no room for, or cut short: the last whole attempt stands
            if ((o.notStarted() || o.cutShort()) && last != null) break;
            last = o;
            if (o.notStarted()) break;
            attempt++;
            if (o.outcome() == Outcome.PASS) break;
        }
        Outcome outcome = last.outcome() == Outcome.PASS && attempt > 1 ? Outcome.FLAKY : last.outcome();
        String message = last.message();
        if (outcome == Outcome.FLAKY) message = "passed on attempt " + attempt + " of " + maxAttempts;
        else if (attempt > 1) message = message + " (after " + attempt + " attempts)";
        long ms = Math.max(0, System.nanoTime() - start - queuedNanos) / 1_000_000;
        return new HostResult(hostName, outcome, secrets.mask(message), last.failures().stream().map(secrets::mask).toList(),
                last.evidence(), last.notes().stream().map(secrets::mask).toList(), ms, attempt, queuedNanos / 1_000_000);
    }

    /**
     * Waits for a permit (the run's concurrency), for as long as the run's deadline allows: a check's
     * outcome never depends on {@code -j}. False when the deadline came first.
     */
    private boolean acquirePermit() throws InterruptedException {
        if (deadline == null) {
            permits.acquire();
            return true;
        }
        long left = Duration.between(Instant.now(), deadline).toNanos();
        return left > 0 && permits.tryAcquire(left, TimeUnit.NANOSECONDS);
    }

    private Observation observeOnce(CheckDef c, HostSpec host) {
        long waitStart = System.nanoTime();
        try {
            if (!acquirePermit()) return Observation.notStarted(System.nanoTime() - waitStart);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Observation.error("interrupted").queued(System.nanoTime() - waitStart);
        }
        long permitWait = System.nanoTime() - waitStart;
        Future<Observation> f = null;
        RunContext ctx = null;
        try {
            if (engine.isCancelled()) return Observation.error("interrupted").queued(permitWait);
            // the timeout starts now that the check has its permit: the wait for it was the run's time
            Duration timeout = c.timeout() != null ? c.timeout() : defaultTimeout;
            if (deadline != null) {
                Duration left = Duration.between(Instant.now(), deadline);
                if (left.isNegative() || left.isZero()) return Observation.notStarted(permitWait);
                if (left.compareTo(timeout) < 0) timeout = left;
            }
            RunContext context = new RunContext(c.id(), timeout, deadline, host, target, session, secrets, engine.connectors);
            ctx = context;
            f = workers.submit(() -> evaluate(c, context));
            engine.running.add(f);
            return cutByDeadline(guard(f, context.deadline()), context.deadline()).queued(permitWait + context.deadline().queued().toNanos());
        } catch (CancellationException e) {
            return Observation.error("interrupted").queued(permitWait + (ctx == null ? 0 : ctx.deadline().queued().toNanos()));
        } catch (InterruptedException e) {
            if (f != null) f.cancel(true);
            Thread.currentThread().interrupt();
            return Observation.error("interrupted").queued(permitWait + (ctx == null ? 0 : ctx.deadline().queued().toNanos()));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return Observation.error("internal error: " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()))
                    .queued(permitWait + ctx.deadline().queued().toNanos());
        } finally {
            if (f != null) engine.running.remove(f);
            permits.release();
        }
    }

    /**
     * The engine's own guard: a probe that ignores its deadline still cannot hold the run. It follows
     * the observation's deadline as time reported queued moves it out (and, while the probe waits for a
     * slot it announced, the queue deadline), with a little grace for the probe to say why first.
     */
    private Observation guard(Future<Observation> f, Deadline own) throws InterruptedException, ExecutionException {
        while (true) {
            boolean waitingForSlot = own.awaitingSlotNow();
            long left = Duration.between(Instant.now(), own.guardDeadline(GUARD_GRACE)).toNanos();
            if (left <= 0) {
                boolean cut = own.boundByRunDeadline();
                f.cancel(true);
                Observation o = Observation.error(waitingForSlot
                        ? "could not get a connection or channel to the target within "
                                + Durations.format(Duration.between(own.started(), Instant.now())) + ": every one was busy"
                        : "timed out after " + Durations.format(own.timeout()));
                return cut ? o.cut() : o;
            }
            try {
                return f.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // the own may have moved while we waited: look again
            }
        }
    }

    /** An ERROR because the run's deadline came before the check's own timeout says so. */
    private Observation cutByDeadline(Observation o, Deadline own) {
        if (o.outcome() != Outcome.ERROR || o.cutShort() || !own.boundByRunDeadline()) return o;
        if (Instant.now().isBefore(deadline.minus(GUARD_GRACE))) return o;
        return o.cut();
    }

    private Observation evaluate(CheckDef c, RunContext ctx) {
        Facts facts;
        try {
            facts = c.probe().observe(ctx);
        } catch (ProbeException e) {
            return Observation.error(oneLine(e.getMessage()));
        } catch (InterruptedException e) {
            return Observation.error(engine.isCancelled() ? "interrupted" : "timed out after " + Durations.format(ctx.deadline().timeout()));
        } catch (java.util.concurrent.TimeoutException e) {
            return Observation.error("timed out after " + Durations.format(ctx.deadline().timeout()));
        } catch (Exception e) {
            String m = e.getMessage();
            return Observation.error(e.getClass().getSimpleName() + (m == null ? "" : ": " + oneLine(m)));
        }
        List<String> failures;
        try {
            failures = c.expect().evaluate(facts);
        } catch (ProbeException e) {
            return new Observation(Outcome.ERROR, oneLine(e.getMessage()), List.of(), evidence(facts), facts.notes());
        }
        if (failures.isEmpty()) return new Observation(Outcome.PASS, "ok", List.of(), evidence(facts), facts.notes());
        String message = failures.get(0) + (failures.size() > 1 ? " (+" + (failures.size() - 1) + " more)" : "");
        return new Observation(Outcome.FAIL, message, failures, evidence(facts), facts.notes());
    }

    private Map<String, String> evidence(Facts facts) {
        Map<String, String> out = new LinkedHashMap<>();
        facts.accessed().forEach((k, v) -> out.put(k, secrets.mask(Values.render(v))));
        return out;
    }

    private static String oneLine(String s) {
        if (s == null) return "error";
        String t = s.strip().replace("\r", "");
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}

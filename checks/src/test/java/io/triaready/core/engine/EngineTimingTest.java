package io.triaready.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Durations;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.builtin.BuiltIns;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.HostResult;
import io.triaready.core.result.Outcome;
import io.triaready.spi.CheckType;
import io.triaready.spi.CheckTypes;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Facts;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Scope;
import io.triaready.spi.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time in the engine: waiting for a permit or a slot is the run's time, not the target's (it moves the
 * observation's deadline, is reported as queued and left out of the duration), and the run's deadline
 * bounds the run.
 */
class EngineTimingTest {
    @TempDir
    Path dir;

    /**
     * A check type that stands for a transport with a queue: {@code slot: {wait: 1s, work: 100ms, announce: true}}
     * waits {@code wait} for its "slot" (announced with {@link io.triaready.spi.Deadline#awaitingSlot()}, or reported after
     * the fact with {@link io.triaready.spi.Deadline#queued} when {@code announce} is false), then works {@code work}
     * within what is left of its deadline, as a real probe does.
     */
    private static final CheckType SLOT = new CheckType() {
        @Override
        public String name() { return "slot"; }

        @Override
        public FactSchema facts() { return FactSchema.of("done", "done").withDefault("done: ok"); }

        @Override
        public Probe parse(YNode spec, ParseContext ctx) {
            Duration wait = Durations.parse(spec.get("wait").text());
            Duration work = Durations.parse(spec.get("work").text());
            boolean announce = spec.get("announce") == null || Boolean.parseBoolean(spec.get("announce").text());
            return new Probe() {
                @Override
                public String describe() { return "slot"; }

                @Override
                public Scope scope() { return Scope.TARGET; }

                @Override
                public Facts observe(ProbeContext c) throws Exception {
                    if (announce) {
                        try (io.triaready.spi.Deadline.SlotWait w = c.deadline().awaitingSlot()) {
                            Thread.sleep(wait.toMillis());
                        }
                    } else {
                        long t = System.nanoTime();
                        Thread.sleep(wait.toMillis());
                        c.deadline().queued(Duration.ofNanos(System.nanoTime() - t));
                    }
                    if (c.deadline().remaining().compareTo(work) < 0) {
                        Thread.sleep(c.deadline().remaining().toMillis());
                        throw new ProbeException("work timed out after " + Durations.format(c.deadline().timeout()));
                    }
                    Thread.sleep(work.toMillis());
                    return Facts.builder().put("done", "ok").build();
                }
            };
        }
    };

    private Playbook playbook(String yaml) {
        List<CheckType> types = new ArrayList<>(BuiltIns.checkTypes().all());
        types.add(SLOT);
        return new PlaybookLoader(new CheckTypes(types)).load(new StringReader("playbook: t\nvars: {dir: '" + dir + "'}\n" + yaml), "t.yaml",
                new PlaybookLoader.Options(Target.local(), Map.of(), Interpolator.External.RESOLVE, k -> null, new Secrets()));
    }

    private static RunResult run(Playbook pb, int concurrency, Duration deadline) {
        return new Engine(BuiltIns.hostConnectors()).run(pb, Target.local(),
                new RunOptions(Selection.ALL, concurrency, Duration.ofSeconds(10), deadline, 100), new Secrets(), RunListener.NONE, "test");
    }

    private static CheckResult check(RunResult r, String id) {
        return r.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void timeWaitingForAPermitIsQueuedAndNotInTheDurationNorTheTimeout() {
        RunResult r = run(playbook("""
                checks:
                  - {id: a, phase: p1, timeout: 1500ms, command: 'sleep 1'}
                  - {id: b, phase: p1, timeout: 1500ms, command: 'sleep 1'}
                """), 1, null);
        // with one permit, one of them waited about a second for the other: had that counted, it would have timed out
        for (String id : List.of("a", "b")) {
            assertThat(check(r, id).outcome()).as(id).isEqualTo(Outcome.PASS);
            assertThat(check(r, id).hosts().get(0).durationMs()).as(id + " ran within its timeout").isLessThan(1500 + 250);
        }
        HostResult second = check(r, "a").hosts().get(0).queuedMs() > check(r, "b").hosts().get(0).queuedMs()
                ? check(r, "a").hosts().get(0) : check(r, "b").hosts().get(0);
        assertThat(second.queuedMs()).as("waited for the other's permit").isGreaterThanOrEqualTo(900);
        assertThat(second.durationMs()).as("the wait is not the target's time").isLessThan(second.queuedMs() + 1000);
    }

    @Test
    void aWaitForASlotMovesTheDeadlineOutAndIsReportedApart() {
        RunResult r = run(playbook("""
                checks:
                  - {id: announced, phase: p1, timeout: 500ms, slot: {wait: 1200ms, work: 200ms}}
                  - {id: reported, phase: p1, timeout: 500ms, slot: {wait: 300ms, work: 300ms, announce: false}}
                """), 4, null);
        HostResult announced = check(r, "announced").hosts().get(0);
        assertThat(announced.outcome()).as(announced.message()).isEqualTo(Outcome.PASS);
        assertThat(announced.queuedMs()).isGreaterThanOrEqualTo(1200);
        assertThat(announced.durationMs()).as("1.2s in the queue, 0.2s on the wire").isLessThan(1200);
        assertThat(check(r, "announced").durationMs()).isEqualTo(announced.durationMs());
        // reported after the fact: 0.3s queued + 0.3s work would not fit a 0.5s timeout counted from the start
        HostResult reported = check(r, "reported").hosts().get(0);
        assertThat(reported.outcome()).as(reported.message()).isEqualTo(Outcome.PASS);
        assertThat(reported.queuedMs()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void theEnginesGuardFollowsTheQueueDeadlineWhileASlotIsAwaitedAndTheRunDeadlineCapsIt() {
        long start = System.nanoTime();
        RunResult r = run(playbook("""
                checks:
                  - {id: stuck, phase: p1, timeout: 200ms, slot: {wait: 60s, work: 1ms}}
                  - {id: unannounced, phase: p1, timeout: 200ms, slot: {wait: 60s, work: 1ms, announce: false}}
                """), 4, Duration.ofMillis(1500));
        long ms = (System.nanoTime() - start) / 1_000_000;
        // a probe that ignores its queue deadline is stopped at the run's deadline (the queue limit is 30s)
        assertThat(check(r, "stuck").outcome()).isEqualTo(Outcome.ERROR);
        assertThat(check(r, "stuck").message()).startsWith("could not get a connection or channel to the target within ")
                .endsWith(": every one was busy (cut short by the run's deadline)");
        // a wait not announced is the probe's own time: stopped at its timeout
        assertThat(check(r, "unannounced").message()).isEqualTo("timed out after 200ms");
        assertThat(ms).as("the run ends within its deadline + 1s").isLessThan(2500);
    }

    @Test
    void theDeadlineBoundsTheRunNotEachCheck() {
        StringBuilder yaml = new StringBuilder("checks:\n");
        for (int i = 1; i <= 6; i++) yaml.append("  - {id: s").append(i).append(", phase: p1, command: 'sleep 1'}\n");
        long start = System.nanoTime();
        RunResult r = run(playbook(yaml.toString()), 1, Duration.ofSeconds(2));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).as("six 1s checks one at a time, a 2s deadline: the run ends within 3s").isLessThan(3000);
        List<CheckResult> notStarted = r.checks().stream().filter(c -> c.message().equals(Engine.NOT_STARTED)).toList();
        assertThat(notStarted).as("at most two started in 2s").hasSizeGreaterThanOrEqualTo(4);
        notStarted.forEach(c -> {
            assertThat(c.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(c.hosts()).allSatisfy(h -> assertThat(h.attempts()).isZero());
        });
        r.checks().stream().filter(c -> !notStarted.contains(c) && c.outcome() != Outcome.PASS)
                .forEach(c -> assertThat(c.message()).as(c.id()).endsWith("(cut short by the run's deadline)"));
    }

    @Test
    void aRetryTheDeadlineLeavesNoRoomForKeepsTheLastAttempt() {
        RunResult r = run(playbook("""
                checks:
                  - {id: hog, phase: p1, command: 'sleep 0.2'}
                  - {id: failing, phase: p1, retries: 3, retry_delay: 10ms, depends_on: [hog], command: 'sleep 0.3; exit 1'}
                """), 1, Duration.ofMillis(1200));
        CheckResult failing = check(r, "failing");
        assertThat(failing.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(failing.message()).startsWith("exit_code: expected 0, got 1");
    }
}

package io.triaready.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import io.triaready.base.yaml.Durations;
import org.junit.jupiter.api.Test;

/** The arithmetic of the one deadline type: no clock-dependent assertion, only what follows from its start. */
class DeadlineTest {
    private static final Duration FIVE = Duration.ofSeconds(5);

    @Test
    void aChecksDeadlineIsItsStartPlusItsTimeoutPlusWhatItReportedQueued() {
        Deadline d = Deadline.forCheck(FIVE, null);
        assertThat(d.timeout()).isEqualTo(FIVE);
        assertThat(d.end()).isEqualTo(d.started().plus(FIVE));
        d.queued(Duration.ofSeconds(2));
        d.queued(Duration.ofMillis(300));
        d.queued(Duration.ofSeconds(-1)); // ignored
        assertThat(d.queued()).isEqualTo(Duration.ofMillis(2300));
        assertThat(d.end()).isEqualTo(d.started().plus(FIVE).plusMillis(2300));
        assertThat(d.timeout()).as("the check's own timeout does not change").isEqualTo(FIVE);
    }

    @Test
    void queuedTimeNeverMovesTheDeadlinePastTheRunsDeadline() {
        Instant run = Instant.now().plusSeconds(7);
        Deadline d = Deadline.forCheck(FIVE, run);
        assertThat(d.boundByRunDeadline()).isFalse();
        d.queued(Duration.ofSeconds(1));
        assertThat(d.end()).isEqualTo(d.started().plusSeconds(6));
        d.queued(Duration.ofSeconds(10));
        assertThat(d.end()).isEqualTo(run);
        assertThat(d.queueDeadline()).isEqualTo(run);
        assertThat(d.boundByRunDeadline()).isTrue();
    }

    @Test
    void aCheckMayWaitForSlotsThreeTimeoutsAtLeastThirtySecondsNeverPastTheRunsDeadline() {
        assertThat(Deadline.queueLimit(FIVE)).isEqualTo(Duration.ofSeconds(30));
        assertThat(Deadline.queueLimit(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(60));
        Deadline d = Deadline.forCheck(FIVE, null);
        assertThat(d.queueDeadline()).isEqualTo(d.started().plusSeconds(30));
        d.queued(Duration.ofSeconds(40)); // a deadline moved past the queue limit: the queue deadline follows it
        assertThat(d.queueDeadline()).isEqualTo(d.end()).isEqualTo(d.started().plusSeconds(45));
        Instant run = Instant.now().plusSeconds(12);
        assertThat(Deadline.forCheck(FIVE, run).queueDeadline()).isEqualTo(run);
    }

    @Test
    void aPlainDeadlineDoesNotMoveWaitingEatsItsTime() {
        Deadline d = Deadline.of(FIVE);
        d.queued(Duration.ofSeconds(3));
        assertThat(d.end()).isEqualTo(d.started().plus(FIVE));
        assertThat(d.queueDeadline()).isEqualTo(d.end());
        assertThat(d.afterWaiting(Duration.ofSeconds(3))).isLessThanOrEqualTo(FIVE);
        assertThat(d.end()).isEqualTo(d.started().plus(FIVE));
        assertThat(d.boundByRunDeadline()).isFalse();
    }

    @Test
    void narrowingToACheckTypesOwnTimeoutKeepsTheConfiguredFigureAsItsLabel() {
        // "2s", not the milliseconds less left by the time it is narrowed
        Deadline all = Deadline.forCheck(Duration.ofSeconds(2), null).narrowedTo(null);
        assertThat(all.label()).isEqualTo(Duration.ofSeconds(2));
        assertThat(all.timeout()).isLessThanOrEqualTo(Duration.ofSeconds(2)).isPositive();
        assertThat("no response within " + Durations.format(all.label())).isEqualTo("no response within 2s");
        Deadline own = Deadline.forCheck(Duration.ofSeconds(2), null).narrowedTo(Duration.ofSeconds(1));
        assertThat(own.label()).isEqualTo(Duration.ofSeconds(1));
        assertThat(own.timeout()).isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(Deadline.forCheck(Duration.ofSeconds(2), null).narrowedTo(Duration.ofSeconds(9)).label()).as("never longer than the check's").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void timeTheCheckAlreadySpentDoesNotChangeTheLabelOnlyTheRunsDeadlineDoes() throws InterruptedException {
        // a slow start (a busy machine, a connection set up first) is not a reason to say "within 1.8s"
        Deadline d = Deadline.forCheck(Duration.ofSeconds(2), null);
        Thread.sleep(150);
        Deadline n = d.narrowedTo(null);
        assertThat(n.timeout()).isLessThanOrEqualTo(Duration.ofMillis(1850));
        assertThat(n.label()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void narrowingWhenTheRunsDeadlineCutsItShortShowsWhatWasReallyLeft() {
        Deadline cut = Deadline.forCheck(Duration.ofSeconds(10), Instant.now().plusSeconds(1));
        Deadline n = cut.narrowedTo(null);
        assertThat(n.timeout()).isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(n.label()).isEqualTo(n.timeout());
        Deadline over = Deadline.forCheck(Duration.ofSeconds(10), Instant.now().minusSeconds(1)).narrowedTo(null);
        assertThat(over.timeout()).as("never zero: clients read it as forever").isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void aCommandsShareOpensAWaitThatAfterWaitingClosesAndReports() {
        Deadline d = Deadline.forCheck(FIVE, null);
        Deadline command = d.forCommand();
        assertThat(d.awaitingSlotNow()).isTrue();
        assertThat(command.queueDeadline()).isEqualTo(d.queueDeadline());
        assertThat(command.timeout()).isLessThanOrEqualTo(FIVE);
        Duration own = command.afterWaiting(Duration.ofHours(1)); // its own wait is what counts
        assertThat(d.awaitingSlotNow()).isFalse();
        assertThat(d.queued()).isLessThan(Duration.ofHours(1));
        assertThat(d.end()).isEqualTo(d.started().plus(FIVE).plus(d.queued()));
        assertThat(command.end()).isEqualTo(d.end());
        assertThat(own).isLessThanOrEqualTo(Duration.between(d.started(), d.end()));
        Duration first = d.queued();
        command.afterWaiting(Duration.ZERO); // closing twice reports once
        assertThat(d.queued()).isEqualTo(first);
        // a later wait of the same command (the server refused a channel; it waited in line again) counts too
        command.afterWaiting(Duration.ofMillis(300));
        assertThat(d.queued()).isEqualTo(first.plusMillis(300));
        assertThat(command.queued()).isEqualTo(d.queued());
    }

    @Test
    void aSlotWaitKeepsTheGuardOnTheQueueDeadlineWhileOpen() {
        Deadline d = Deadline.forCheck(FIVE, null);
        Duration grace = Duration.ofMillis(250);
        assertThat(d.guardDeadline(grace)).isEqualTo(d.end().plus(grace));
        Deadline.SlotWait w = d.awaitingSlot();
        assertThat(d.guardDeadline(grace)).isEqualTo(d.queueDeadline().plus(grace));
        w.close();
        w.close();
        assertThat(d.awaitingSlotNow()).isFalse();
        assertThat(d.guardDeadline(grace)).isEqualTo(d.end().plus(grace));
    }

    @Test
    void atMostNeverOutlastsItsDeadline() {
        Deadline d = Deadline.forCheck(FIVE, null);
        assertThat(d.atMost(Duration.ofSeconds(1)).timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.atMost(Duration.ofSeconds(60)).timeout()).isLessThanOrEqualTo(FIVE);
        assertThat(Deadline.forCheck(FIVE, Instant.now().minusSeconds(1)).atMost(FIVE).timeout()).isZero();
    }
}

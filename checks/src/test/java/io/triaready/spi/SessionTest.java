package io.triaready.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class SessionTest {
    /** A client whose close takes a while, as an SSH connection's goodbye does behind a slow network. */
    static final class SlowClient implements AutoCloseable {
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public void close() throws InterruptedException {
            Thread.sleep(300);
            closed.incrementAndGet();
        }
    }

    @Test
    void aCloseAfterACloseInBackgroundWaitsForItAndClosesEachClientOnce() throws Exception {
        Session session = new Session();
        SlowClient client = session.shared("slow", SlowClient::new);
        session.closeInBackground();
        Thread.sleep(50); // the background close has begun
        session.close();
        assertThat(client.closed).hasValue(1);
    }

    @Test
    void aTentativeSessionWaitsForTheGoAheadAndClosingItCallsTheRunOff() throws Exception {
        Session go = Session.tentative();
        assertThat(go.awaitGoAhead(1_000_000)).isFalse(); // 1 ms: nothing yet
        go.goAhead();
        assertThat(go.awaitGoAhead(0)).isTrue();
        go.close();
        assertThat(go.abandoned()).isFalse();

        Session off = Session.tentative();
        off.close();
        assertThat(off.awaitGoAhead(0)).isFalse();
        assertThat(off.abandoned()).isTrue();
    }
}

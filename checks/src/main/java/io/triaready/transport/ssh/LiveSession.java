package io.triaready.transport.ssh;

import java.io.IOException;
import java.time.Duration;

import org.apache.sshd.client.session.ClientSession;

/** A connection's live session, reconnecting once if the server dropped it ({@link SshConnection#live}). */
@FunctionalInterface
interface LiveSession {
    ClientSession get(Duration timeout) throws IOException, InterruptedException;
}

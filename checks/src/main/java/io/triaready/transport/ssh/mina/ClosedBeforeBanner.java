package io.triaready.transport.ssh.mina;

import org.apache.sshd.common.session.helpers.MissingAttachedSessionException;

/**
 * MINA's word for a TCP connection closed so soon that no SSH session was attached to it yet: what
 * sshd does to a connection beyond MaxStartups (or a tcp wrapper's refusal), safe to try again.
 *
 * <p>MINA internal relied on (sshd-core 2.14.0; pinned by {@code ClosedBeforeBannerPinTest}): the
 * connect future of such a connection fails with {@code MissingAttachedSessionException} (from
 * {@code org.apache.sshd.common.session.helpers}, not a documented API), somewhere in its causes.
 */
public final class ClosedBeforeBanner {
    private ClosedBeforeBanner() {}

    public static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MissingAttachedSessionException) return true;
        }
        return false;
    }
}

package io.triaready.spi;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import io.triaready.base.yaml.Durations;

/**
 * What the host check types share: run one (already quoted) script on the probe's host within the
 * check's time, turning "could not run it" into a one-line {@link ProbeException}. Scripts mark the
 * sections of their output with {@link #MARK} lines, which no real command output starts with.
 */
public final class HostCommands {
    /** Prefix of the marker lines scripts print, e.g. {@code @@tria:missing}. */
    public static final String MARK = "@@tria:";

    private HostCommands() {}

    public static ExecResult run(ProbeContext ctx, String script, String what) throws ProbeException, InterruptedException {
        HostTransport host = ctx.host();
        try {
            return host.exec(script, null, ctx.deadline().forCommand());
        } catch (TimeoutException e) {
            throw new ProbeException(what + " on " + host.name() + " timed out after " + Durations.format(ctx.deadline().timeout()));
        } catch (IOException e) {
            throw new ProbeException(e.getMessage() == null ? what + " on " + host.name() + " failed" : e.getMessage(), e);
        }
    }

    /** The first line of stderr, else of stdout: why a command failed, for a message. */
    public static String why(ExecResult r) {
        String e = HostTransport.firstLine(r.stderr());
        if (!e.isEmpty()) return e;
        String o = HostTransport.firstLine(r.stdout());
        return o.isEmpty() ? "exit code " + r.exitCode() : o;
    }
}

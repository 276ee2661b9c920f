package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Base64;
import java.util.concurrent.Callable;

import io.triaready.base.secret.Secrets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * An internal error (a bug: exit 70) prints its message, and with {@code --debug} its stack trace,
 * masked with every secret the process was told: no run's own registry is at hand where picocli
 * reports it, and a bug's message can hold anything the command had (a URL with its password, a
 * header). Before, both went out as they were.
 */
class InternalErrorMaskingTest {
    private static final String CANARY = "ie-canary-7f3b9c2e";

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            String basic = Base64.getEncoder().encodeToString(("user:" + CANARY).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            throw new IllegalStateException("lost postgres://app:" + CANARY + "@db/prod",
                    new RuntimeException("Authorization: Basic " + basic + " for " + CANARY));
        }
    }

    private static String run(boolean debug) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Boom());
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler(new TriaReady.Failures(debug));
        assertThat(cl.execute()).isEqualTo(ExitCodes.INTERNAL);
        return err.toString();
    }

    @Test
    void theMessageAndTheStackTraceAreMaskedWithEverySecretTheProcessKnows() {
        new Secrets().add(CANARY, "a run's inventory"); // another registry than any the handler could reach
        String plain = run(false);
        assertThat(plain).startsWith("tria-ready: internal error: IllegalStateException: lost postgres://app:******@db/prod")
                .contains("(run again with --debug for details)").doesNotContain(CANARY);
        String debug = run(true);
        assertThat(debug).contains("\tat ").contains("Caused by: java.lang.RuntimeException: Authorization: Basic ")
                .doesNotContain(CANARY)
                .doesNotContain(Base64.getEncoder().encodeToString(("user:" + CANARY).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}

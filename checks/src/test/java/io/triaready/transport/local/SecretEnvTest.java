package io.triaready.transport.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.triaready.base.secret.Secrets;
import io.triaready.spi.ExecResult;
import io.triaready.spi.HostTransport;
import org.junit.jupiter.api.Test;

/** Secrets reach commands through stdin and the environment: the same output, no secret on the command line. */
class SecretEnvTest {
    private static final String S = "s3cr3t-Canary x";
    private static final Secrets SECRETS = secrets(S, "multi\nline-secret");

    private static Secrets secrets(String... values) {
        Secrets s = new Secrets();
        for (String v : values) s.add(v);
        return s;
    }

    private static String run(String command, String stdin) throws Exception {
        HostTransport host = SecretSafeHost.of(LocalHost.INSTANCE, SECRETS);
        ExecResult r = host.exec(command, stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout();
    }

    @Test
    void everyQuotingGivesTheSameValue() throws Exception {
        assertThat(run("printf '%s|' '" + S + "'", null)).isEqualTo(S + "|");
        assertThat(run("printf '%s|' \"" + S + "\"", null)).isEqualTo(S + "|");
        assertThat(run("printf '%s|' " + S, null)).as("unquoted: split into words as written").isEqualTo("s3cr3t-Canary|x|");
        assertThat(run("printf '%s|' \"$(printf '%s' '" + S + "')\"", null)).isEqualTo(S + "|");
        assertThat(run("printf '%s|' \"`echo '" + S + "'`\"", null)).isEqualTo(S + "|");
        assertThat(run("cat <<EOF\nit's " + S + "\nEOF\nprintf 'after %s' '" + S + "'", null)).isEqualTo("it's " + S + "\nafter " + S);
        assertThat(run("printf '[%s]' 'pre" + S + "post'", null)).isEqualTo("[pre" + S + "post]");
        assertThat(run("printf '%s' 'multi\nline-secret'", null)).isEqualTo("multi\nline-secret");
        assertThat(run("read -r a; printf '%s/%s' \"$a\" '" + S + "'", "the input\n")).as("the command still gets its stdin").isEqualTo("the input/" + S);
        assertThat(run("echo plain", null)).isEqualTo("plain\n");
    }

    @Test
    void theCommandLineHoldsReferencesOnly() throws Exception {
        SecretEnv.Prepared p = SecretEnv.prepare("echo '" + S + "' && sleep 0", null, SECRETS.values());
        assertThat(p.command()).doesNotContain(S).contains("'\"${TRIA_SECRET_1}\"'");
        // while it runs, its own /proc/PID/cmdline (and its parent's) has no secret; its environment has it
        String out = run("tr '\\0' ' ' </proc/$$/cmdline; echo; echo '" + S + "' >/dev/null; tr '\\0' ' ' </proc/$PPID/cmdline", null);
        assertThat(out).doesNotContain("s3cr3t").contains("TRIA_SECRET_1");
    }

    @Test
    void sudoSkipsAnUnneededPasswordAndReadsTheSecrets() throws Exception {
        SecretEnv.Prepared p = SecretEnv.prepareSudo("printf '%s' '" + S + "'", "the-sudo-password", SECRETS.values());
        assertThat(p.command()).doesNotContain(S);
        // run the wrapped inner part as a root session would (no sudo): the password line is skipped
        String inner = p.command().substring(p.command().indexOf("then sh -c ") + "then sh -c ".length(), p.command().indexOf("; else"));
        ExecResult r = LocalHost.INSTANCE.exec("sh -c " + inner, p.stdin(), Duration.ofSeconds(5));
        assertThat(r.stdout()).isEqualTo(S);
        assertThat(List.of(r.stdout(), r.stderr()).toString()).doesNotContain("the-sudo-password");
    }
}

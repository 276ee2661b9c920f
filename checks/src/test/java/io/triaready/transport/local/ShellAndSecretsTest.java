package io.triaready.transport.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.triaready.base.secret.Secrets;
import io.triaready.spi.Deadline;
import io.triaready.spi.ExecResult;
import io.triaready.spi.FilePeek;
import io.triaready.spi.FileStat;
import io.triaready.spi.HostTransport;
import io.triaready.spi.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellAndSecretsTest {
    @TempDir
    Path dir;

    @Test
    void hostileValuesStayOneLiteralWord() throws Exception {
        Path canary = dir.resolve("pwned");
        String[] hostile = {"x'; touch " + canary + " #", "$(touch " + canary + ")", "`touch " + canary + "`", "a b; touch " + canary, "\"; touch " + canary + "; \""};
        for (String h : hostile) {
            ExecResult r = LocalHost.INSTANCE.exec("printf %s " + Shell.quote(h), null, Duration.ofSeconds(5));
            assertThat(r.stdout()).isEqualTo(h);
        }
        assertThat(canary).doesNotExist();
        assertThat(Shell.quote("plain-word_1.2")).isEqualTo("plain-word_1.2");
        assertThat(Shell.quote("")).isEqualTo("''");
    }

    @Test
    void localFileAccessMatchesStat() throws Exception {
        Path f = dir.resolve("unit.service");
        Files.writeString(f, "Restart=always\n");
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        FileStat s = LocalHost.INSTANCE.stat(f.toString(), Deadline.of(Duration.ofSeconds(2))).orElseThrow();
        assertThat(s.type()).isEqualTo("file");
        assertThat(s.modeOctal()).isEqualTo("0640");
        assertThat(s.size()).isEqualTo(15);
        // the portable stat built on exec (what SSH hosts use) sees the same
        HostTransport viaShell = anonymous((command, stdin, timeout) -> LocalHost.INSTANCE.exec(command, stdin, timeout));
        FileStat s2 = viaShell.stat(f.toString(), Deadline.of(Duration.ofSeconds(2))).orElseThrow();
        assertThat(s2.type()).isEqualTo("file");
        assertThat(s2.mode()).isEqualTo(s.mode());
        assertThat(s2.owner()).isEqualTo(s.owner());
        assertThat(new String(viaShell.read(f.toString(), 1024, Deadline.of(Duration.ofSeconds(2))))).isEqualTo("Restart=always\n");
        assertThat(viaShell.stat(dir.resolve("missing").toString(), Deadline.of(Duration.ofSeconds(2)))).isEmpty();
        // metadata and content in one command, the same on both paths
        for (HostTransport t : new HostTransport[] {viaShell, LocalHost.INSTANCE}) {
            FilePeek peek = t.peek(f.toString(), 1024, Deadline.of(Duration.ofSeconds(2)));
            assertThat(peek.stat()).contains(t == viaShell ? s2 : s);
            assertThat(peek.head()).isEqualTo("Restart=always\n");
            assertThat(peek.complete()).isTrue();
            FilePeek partial = t.peek(f.toString(), 4, Deadline.of(Duration.ofSeconds(2)));
            assertThat(partial.head()).isEqualTo("Rest");
            assertThat(partial.complete()).isFalse();
            assertThat(t.peek(dir.toString(), 1024, Deadline.of(Duration.ofSeconds(2))).head()).as("a directory has no content").isNull();
            assertThat(t.peek(dir.resolve("missing").toString(), 1024, Deadline.of(Duration.ofSeconds(2))).stat()).isEmpty();
        }
    }

    /** A transport that only has exec, so the interface's shell-based defaults are what gets tested. */
    private interface ExecOnly {
        ExecResult exec(String command, byte[] stdin, Duration timeout) throws Exception;
    }

    private static HostTransport anonymous(ExecOnly e) {
        return new HostTransport() {
            public String name() { return "shell"; }
            public ExecResult exec(String command, byte[] stdin, Duration timeout) throws java.io.IOException, java.util.concurrent.TimeoutException, InterruptedException {
                try {
                    return e.exec(command, stdin, timeout);
                } catch (java.io.IOException | java.util.concurrent.TimeoutException | InterruptedException x) {
                    throw x;
                } catch (Exception x) {
                    throw new java.io.IOException(x);
                }
            }
        };
    }

    @Test
    void secretsAreMaskedIncludingUrlPasswords() {
        Secrets s = new Secrets();
        s.add("tok-123456");
        s.add("ab"); // too short to be worth masking
        assertThat(s.mask("Bearer tok-123456 ab")).isEqualTo("Bearer ****** ab");
        assertThat(s.mask("jdbc:postgresql://db:5432/x?user=a&password=p4ss")).isEqualTo("jdbc:postgresql://db:5432/x?user=a&password=******");
        assertThat(s.mask("redis://default:p4ss@cache:6379/0")).isEqualTo("redis://default:******@cache:6379/0");
    }
}

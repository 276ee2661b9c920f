package io.triaready.checks.envfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.triaready.spi.HostTransport;
import io.triaready.spi.ProbeException;
import io.triaready.testing.HostChecks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A real dotenv file full of secrets: names come back, values never do. */
class EnvFileCheckTypeTest {
    static final EnvFileCheckType TYPE = new EnvFileCheckType();
    static final List<String> SECRETS = List.of("postgresql://tria:hunter2-db@db/tria", "sk-live-abcdef0123456789", "redis.internal",
            "0.09", "quoted value with spaces", "single-quoted-secret", "#hash-is-value");

    @TempDir
    static Path dir;
    static HostChecks checks;
    static Path env;

    @BeforeAll
    static void start() throws Exception {
        checks = HostChecks.start(dir.resolve("ssh"));
        env = Files.writeString(dir.resolve(".env"), String.join("\n",
                "# TRIA production settings",
                "DATABASE_URL=" + SECRETS.get(0),
                "export OPENAI_API_KEY=" + SECRETS.get(1),
                "REDIS_HOST = " + SECRETS.get(2),
                "REDIS_PORT=6379",
                "TAX_RATE=" + SECRETS.get(3),
                "XERO_TAX_TYPE=\"" + SECRETS.get(4) + "\"",
                "XERO_SALES_ACCOUNT_CODE='" + SECRETS.get(5) + "'",
                "SENTRY_DSN=",
                "EMPTY_QUOTED=\"\"",
                "EMPTY_COMMENTED=   # set me",
                "HASHED=" + SECRETS.get(6),
                "LATER=first",
                "LATER=",
                "not a variable line",
                ""));
    }

    @AfterAll
    static void stop() {
        if (checks != null) checks.close();
    }

    static Stream<Named<HostTransport>> hosts() { return checks.hosts().stream().map(h -> Named.of(h.name(), h)); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void namesDefinedEmptyAndMissingWithoutAnyValue(HostTransport host) throws Exception {
        String spec = "{path: '" + env + "', required: [DATABASE_URL, OPENAI_API_KEY, REDIS_HOST, TAX_RATE, SENTRY_DSN]}";
        HostChecks.Result r = HostChecks.run(TYPE, spec, null, host);
        assertThat(r.fact("defined")).isEqualTo(List.of("DATABASE_URL", "OPENAI_API_KEY", "REDIS_HOST", "REDIS_PORT", "TAX_RATE",
                "XERO_TAX_TYPE", "XERO_SALES_ACCOUNT_CODE", "HASHED"));
        assertThat(r.fact("empty")).isEqualTo(List.of("SENTRY_DSN", "EMPTY_QUOTED", "EMPTY_COMMENTED", "LATER"));
        assertThat(r.fact("missing")).isEqualTo(List.of("SENTRY_DSN"));
        assertThat(r.fact("count")).isEqualTo(8L);
        assertThat(r.fact("exists")).isEqualTo(true);
        assertThat(r.failures()).containsExactly("missing: expected length 0, got [\"SENTRY_DSN\"] (length is 1)");
        String everything = HostChecks.everything(TYPE, r);
        for (String secret : SECRETS) assertThat(everything).doesNotContain(secret);
        assertThat(everything).doesNotContain("hunter2").doesNotContain("sk-live");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void allRequiredPresentPasses(HostTransport host) throws Exception {
        HostChecks.Result r = HostChecks.run(TYPE, "{path: '" + env + "', required: [DATABASE_URL, TAX_RATE]}", null, host);
        assertThat(r.passed()).isTrue();
        assertThat(HostChecks.run(TYPE, "'" + env + "'", "{defined: {contains: OPENAI_API_KEY}}", host).passed()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void aMissingFileMissesEverything(HostTransport host) throws Exception {
        HostChecks.Result r = HostChecks.run(TYPE, "{path: " + dir.resolve("nope.env") + ", required: [A, B]}", null, host);
        assertThat(r.fact("exists")).isEqualTo(false);
        assertThat(r.fact("missing")).isEqualTo(List.of("A", "B"));
        assertThat(r.passed()).isFalse();
        assertThat(r.notes()).containsExactly(dir.resolve("nope.env") + " does not exist");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hosts")
    void aDirectoryIsAnError(HostTransport host) {
        assertThatThrownBy(() -> HostChecks.run(TYPE, "{path: " + dir + "}", null, host))
                .isInstanceOf(ProbeException.class)
                .hasMessage(dir + " on " + host.name() + " is not a regular file");
    }

    @Test
    void mistakesAreReportedAtTheirPlace() {
        assertThat(HostChecks.problems(TYPE, "{path: /x, required: [OK, 1BAD]}")).singleElement().asString()
                .startsWith("1:22: '1BAD' is not a variable name");
        assertThat(HostChecks.problems(TYPE, "{required: [A]}")).singleElement().asString().contains("missing required key 'path'");
    }
}

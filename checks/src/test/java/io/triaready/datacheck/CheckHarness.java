package io.triaready.datacheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.Problem;
import io.triaready.base.yaml.YNode;
import io.triaready.core.expect.Expectation;
import io.triaready.core.expect.ExpectationParser;
import io.triaready.core.result.Outcome;
import io.triaready.spi.BasicProbeContext;
import io.triaready.spi.CheckType;
import io.triaready.spi.Facts;
import io.triaready.spi.HostSpec;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;
import io.triaready.spi.Target;
import io.triaready.transport.local.LocalHost;

/**
 * Runs one check the way the engine will: parse the type's YAML, observe, evaluate the expectation
 * (or the type's default one). A {@link ProbeException} is an ERROR, failed clauses a FAIL.
 */
public final class CheckHarness {
    private CheckHarness() {}

    public record Run(Outcome outcome, List<String> failures, Facts facts, String error, Duration took) {
        public Object fact(String name) throws ProbeException { return facts.get(name); }

        @Override
        public String toString() { return outcome + " " + (error != null ? error : failures) + (facts == null ? "" : " notes=" + facts.notes()); }
    }

    public static Target target(Map<String, Map<String, Object>> endpoints) {
        return new Target("test", List.of(HostSpec.LOCAL), endpoints, Map.of());
    }

    public static BasicProbeContext context(Duration timeout, Target target, Session session, Secrets secrets) {
        return new BasicProbeContext(io.triaready.spi.Deadline.of(timeout), LocalHost.INSTANCE, target, session, secrets);
    }

    /** Parses a check body (the value under the type's key); fails the test on any problem. */
    public static Probe parse(CheckType type, String yaml) {
        ParseContext ctx = ParseContext.plain();
        Probe p = type.parse(YNode.parse(yaml, "test.yml"), ctx);
        assertThat(ctx.problems().sorted()).as("problems parsing " + yaml).isEmpty();
        assertThat(p).isNotNull();
        return p;
    }

    /** The problems a check body produces, as "line:column: message". */
    public static List<String> problems(CheckType type, String yaml) {
        ParseContext ctx = ParseContext.plain();
        type.parse(YNode.parse(yaml, "test.yml"), ctx);
        return ctx.problems().sorted().stream().map(Problem::toString).toList();
    }

    public static Expectation expectation(CheckType type, String expectYaml) {
        ParseContext ctx = ParseContext.plain();
        String yaml = expectYaml != null ? expectYaml : type.facts().defaultExpect();
        assertThat(yaml).as("expect (the type has no default)").isNotNull();
        Expectation e = ExpectationParser.parse(YNode.parse(yaml, "expect.yml"), type.facts(), type.name(), ctx);
        assertThat(ctx.problems().sorted()).as("problems in expect " + yaml).isEmpty();
        return e;
    }

    public static Run run(CheckType type, String specYaml, String expectYaml, io.triaready.spi.ProbeContext ctx) {
        return run(parse(type, specYaml), expectation(type, expectYaml), ctx);
    }

    public static Run run(Probe probe, Expectation expectation, io.triaready.spi.ProbeContext ctx) {
        long start = System.nanoTime();
        Facts facts = null;
        try {
            facts = probe.observe(ctx);
            List<String> failures = expectation.evaluate(facts);
            return new Run(failures.isEmpty() ? Outcome.PASS : Outcome.FAIL, failures, facts, null, Duration.ofNanos(System.nanoTime() - start));
        } catch (ProbeException e) {
            return new Run(Outcome.ERROR, List.of(), facts, e.getMessage(), Duration.ofNanos(System.nanoTime() - start));
        } catch (Exception e) {
            return new Run(Outcome.ERROR, List.of(), facts, e.getClass().getSimpleName() + ": " + e.getMessage(), Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** A TCP port on loopback that nothing listens on (bound, then released). */
    public static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

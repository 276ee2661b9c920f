package io.triaready.datacheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.triaready.check.BasicProbeContext;
import io.triaready.check.CheckType;
import io.triaready.check.Facts;
import io.triaready.check.Probe;
import io.triaready.check.ProbeException;
import io.triaready.check.Session;
import io.triaready.engine.Outcome;
import io.triaready.expect.Expectation;
import io.triaready.expect.ExpectationParser;
import io.triaready.host.LocalHost;
import io.triaready.playbook.ParseContext;
import io.triaready.playbook.Problem;
import io.triaready.playbook.YNode;
import io.triaready.secret.Secrets;
import io.triaready.target.HostSpec;
import io.triaready.target.Target;

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
        return new BasicProbeContext(timeout, Instant.now().plus(timeout), LocalHost.INSTANCE, target, session, secrets);
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

    public static Run run(CheckType type, String specYaml, String expectYaml, io.triaready.check.ProbeContext ctx) {
        return run(parse(type, specYaml), expectation(type, expectYaml), ctx);
    }

    public static Run run(Probe probe, Expectation expectation, io.triaready.check.ProbeContext ctx) {
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

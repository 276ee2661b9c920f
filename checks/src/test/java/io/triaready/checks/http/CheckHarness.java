package io.triaready.checks.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.Problem;
import io.triaready.base.yaml.YNode;
import io.triaready.core.expect.Expectation;
import io.triaready.core.expect.ExpectationParser;
import io.triaready.spi.BasicProbeContext;
import io.triaready.spi.CheckType;
import io.triaready.spi.Facts;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Session;
import io.triaready.transport.local.LocalHost;

/**
 * Runs one check the way the engine does: YAML through {@link YNode#parse}, the check type's parser,
 * {@link ExpectationParser} (or the type's default expectation), the probe against a real server,
 * then the expectation. The outcome is PASS, FAIL (with the failures) or ERROR (with the message).
 */
public final class CheckHarness {
    private final CheckType type;
    private final Map<String, String> vars;

    public CheckHarness(CheckType type, Map<String, String> vars) {
        this.type = type;
        this.vars = vars;
    }

    public record Parsed(Probe probe, Expectation expectation, List<String> problems) {}

    public record Result(String outcome, List<String> failures, String error, Facts facts, long elapsedMs) {
        public String notes() { return facts == null ? "" : String.join("\n", facts.notes()); }
    }

    /** {@code yaml} holds the check type's key (e.g. {@code http:}) and, optionally, {@code expect:}. */
    public Parsed parse(String yaml) {
        YNode root = YNode.parse(yaml, "t.yaml");
        ParseContext ctx = new ParseContext(new io.triaready.base.yaml.Problems(),
                new Interpolator(vars, new Secrets(), Interpolator.External.RESOLVE, k -> null, "test"));
        Probe probe = type.parse(root.get(type.name()), ctx);
        YNode expect = root.get("expect");
        if (expect == null) expect = YNode.parse(type.facts().defaultExpect(), "<default expect>");
        Expectation e = ExpectationParser.parse(expect, type.facts(), type.name(), ctx);
        return new Parsed(probe, e, ctx.problems().sorted().stream().map(Problem::toString).toList());
    }

    /** Parses (failing on any problem) and runs with {@code timeout} in {@code session}. */
    public Result run(String yaml, Session session, Duration timeout) {
        Parsed p = parse(yaml);
        if (!p.problems().isEmpty()) throw new AssertionError("unexpected problems: " + p.problems());
        return run(p, session, timeout);
    }

    public Result run(Parsed p, Session session, Duration timeout) {
        long start = System.nanoTime();
        Facts facts = null;
        try {
            facts = p.probe().observe(BasicProbeContext.of(timeout, LocalHost.INSTANCE, session));
            List<String> failures = p.expectation().evaluate(facts);
            return new Result(failures.isEmpty() ? "PASS" : "FAIL", failures, null, facts, elapsed(start));
        } catch (ProbeException e) {
            return new Result("ERROR", List.of(), e.getMessage(), facts, elapsed(start));
        } catch (Exception e) {
            throw new AssertionError("probe threw " + e + " instead of a ProbeException", e);
        }
    }

    private static long elapsed(long start) { return (System.nanoTime() - start) / 1_000_000; }
}

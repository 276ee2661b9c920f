package io.triaready.core.engine;

import java.time.Instant;
import java.util.List;

import io.triaready.core.result.CheckResult;
import io.triaready.core.score.Coverage;
import io.triaready.core.score.Score;
import io.triaready.core.score.Verdict;

/**
 * Everything one audit produced: the source of truth every report is rendered from (and the JSON
 * schema {@value #SCHEMA} round-trips it). {@code failUnder} is the threshold the verdict used;
 * {@code fixes} the fixes applied to this playbook and target since the previous recorded audit
 * (from the history store, so that every format and a re-rendered report say what changed and who changed it).
 */
public record RunResult(String schema, String toolVersion, String playbookId, String playbookTitle, String playbookSource,
                        String target, List<String> hosts, Instant started, Instant finished, List<String> filters,
                        List<CheckResult> checks, Score score, double failUnder, Verdict verdict, boolean interrupted,
                        List<AppliedFix> fixes) {
    public static final String SCHEMA = "tria-ready/result/v1";

    /** A fix applied since the previous audit: when it finished, which fix, how it ended (FIXED, STILL_FAILING, ...), by whom. */
    public record AppliedFix(Instant when, String fix, String status, String operator) {}

    public RunResult {
        hosts = List.copyOf(hosts);
        filters = List.copyOf(filters);
        checks = List.copyOf(checks);
        fixes = fixes == null ? List.of() : List.copyOf(fixes);
    }

    /** Without fixes. */
    public RunResult(String schema, String toolVersion, String playbookId, String playbookTitle, String playbookSource,
                     String target, List<String> hosts, Instant started, Instant finished, List<String> filters,
                     List<CheckResult> checks, Score score, double failUnder, Verdict verdict, boolean interrupted) {
        this(schema, toolVersion, playbookId, playbookTitle, playbookSource, target, hosts, started, finished, filters, checks, score,
                failUnder, verdict, interrupted, List.of());
    }

    public RunResult withFixes(List<AppliedFix> f) {
        return new RunResult(schema, toolVersion, playbookId, playbookTitle, playbookSource, target, hosts, started, finished, filters,
                checks, score, failUnder, verdict, interrupted, f);
    }

    public long durationMs() { return java.time.Duration.between(started, finished).toMillis(); }

    /** The checks that were not run, and what that leaves unchecked. */
    public Coverage coverage() { return Coverage.of(checks); }

    /**
     * The run's scope as history compares it: its filters ("phase p0; skip x"), or "all checks"
     * (destructive ones excepted unless included). Two runs are comparable when their scopes are equal.
     */
    public String scope() { return filters.isEmpty() ? "" : String.join("; ", filters); }
}

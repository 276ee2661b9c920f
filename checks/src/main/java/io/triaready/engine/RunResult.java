package io.triaready.engine;

import java.time.Instant;
import java.util.List;

import io.triaready.score.Score;
import io.triaready.score.Verdict;

/**
 * Everything one audit produced: the source of truth every report is rendered from (and the JSON
 * schema {@value #SCHEMA} round-trips it). {@code failUnder} is the threshold the verdict used.
 */
public record RunResult(String schema, String toolVersion, String playbookId, String playbookTitle, String playbookSource,
                        String target, List<String> hosts, Instant started, Instant finished, List<String> filters,
                        List<CheckResult> checks, Score score, double failUnder, Verdict verdict, boolean interrupted) {
    public static final String SCHEMA = "tria-ready/result/v1";

    public RunResult {
        hosts = List.copyOf(hosts);
        filters = List.copyOf(filters);
        checks = List.copyOf(checks);
    }

    public long durationMs() { return java.time.Duration.between(started, finished).toMillis(); }
}

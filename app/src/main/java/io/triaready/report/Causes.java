package io.triaready.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.triaready.core.engine.RunResult;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;

/**
 * Groups blocked checks under the check that caused them, following chains (A fails, B is blocked by A,
 * C by B: B and C are listed under A). A blocked check whose cause is not in the result, or did not
 * fail or error (a chain that loops or ends in a skipped check), is an orphan, listed on its own.
 */
final class Causes {
    /** A blocked check and the dependency that blocked it directly (differs from the root in a chain). */
    record Blocked(CheckResult check, String via) {}

    private final Map<String, List<Blocked>> byRoot = new LinkedHashMap<>();
    private final List<CheckResult> orphans = new ArrayList<>();

    Causes(RunResult result) {
        Map<String, CheckResult> byId = new LinkedHashMap<>();
        for (CheckResult c : result.checks()) byId.putIfAbsent(c.id(), c);
        for (CheckResult c : result.checks()) {
            if (c.outcome() != Outcome.BLOCKED) continue;
            CheckResult root = root(c, byId);
            if (root == null) {
                orphans.add(c);
            } else {
                String via = root.id().equals(c.blockedBy()) ? null : c.blockedBy();
                byRoot.computeIfAbsent(root.id(), k -> new ArrayList<>()).add(new Blocked(c, via));
            }
        }
    }

    private static CheckResult root(CheckResult c, Map<String, CheckResult> byId) {
        Set<String> seen = new HashSet<>();
        CheckResult cur = c;
        while (cur.outcome() == Outcome.BLOCKED && cur.blockedBy() != null && seen.add(cur.id())) {
            CheckResult next = byId.get(cur.blockedBy());
            if (next == null) return null;
            cur = next;
        }
        return cur.outcome() == Outcome.FAIL || cur.outcome() == Outcome.ERROR ? cur : null;
    }

    /** The checks blocked, directly or through a chain, by this failing or erroring check. */
    List<Blocked> under(String causeId) { return byRoot.getOrDefault(causeId, List.of()); }

    /** Blocked checks without a failing cause in this result. */
    List<CheckResult> orphans() { return orphans; }
}

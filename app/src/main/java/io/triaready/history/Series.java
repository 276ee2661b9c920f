package io.triaready.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.core.engine.RunResult;
import io.triaready.core.playbook.Phase;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;

/**
 * The runs of one playbook against one target, oldest first, and what they say about each check:
 * when it started or stopped failing. A transition is a change between passing (pass, flaky) and
 * not passing (fail, error, blocked) from one run to the next run that evaluated the check;
 * interrupted runs are left out of transitions (their errors only say "interrupted"), and a run
 * that did not select the check says nothing about it.
 */
public record Series(String playbook, String target, List<Run> runs) {
    /** {@code result} is null when the full result could not be read: the run then says nothing about checks. */
    public record Run(HistoryEntry entry, RunResult result) {}

    /** One change of a check between consecutive runs. */
    public record Transition(String runId, Instant at, Outcome from, Outcome to) {
        public boolean fixed() { return to.passed(); }
    }

    /**
     * A check that did not pass at least once in the series. {@code since}/{@code sinceRun} is the first
     * run of its current streak (passing or not) and {@code streak} its length in runs;
     * {@code inLatest} is false when the most recent run did not evaluate it.
     */
    public record CheckHistory(String id, String title, Phase phase, Outcome current, Instant since, String sinceRun, int streak,
                               List<Transition> transitions, boolean inLatest) {
        public boolean failing() { return !current.passed(); }
    }

    public Series {
        runs = List.copyOf(runs);
    }

    public List<HistoryEntry> entries() { return runs.stream().map(Run::entry).toList(); }

    /** Checks that were not passing in at least one (complete) run, currently failing ones first, in playbook order. */
    public List<CheckHistory> checks() {
        Map<String, List<Observation>> byCheck = new LinkedHashMap<>();
        // the latest run's order first, so the listing follows the current playbook
        List<Run> complete = runs.stream().filter(r -> !r.entry().interrupted() && r.result() != null).toList();
        for (int i = complete.size() - 1; i >= 0; i--) {
            for (CheckResult c : complete.get(i).result().checks()) byCheck.putIfAbsent(c.id(), new ArrayList<>());
        }
        for (Run r : complete) {
            for (CheckResult c : r.result().checks()) {
                if (c.outcome() == Outcome.SKIPPED) continue;
                byCheck.get(c.id()).add(new Observation(r.entry(), c));
            }
        }
        String latestId = complete.isEmpty() ? null : complete.get(complete.size() - 1).entry().id();
        List<CheckHistory> failing = new ArrayList<>();
        List<CheckHistory> recovered = new ArrayList<>();
        for (Map.Entry<String, List<Observation>> e : byCheck.entrySet()) {
            List<Observation> obs = e.getValue();
            if (obs.isEmpty() || obs.stream().allMatch(o -> o.check.outcome().passed())) continue;
            List<Transition> transitions = new ArrayList<>();
            for (int i = 1; i < obs.size(); i++) {
                Outcome before = obs.get(i - 1).check.outcome();
                Outcome after = obs.get(i).check.outcome();
                if (before.passed() != after.passed()) transitions.add(new Transition(obs.get(i).entry.id(), obs.get(i).entry.started(), before, after));
            }
            Observation last = obs.get(obs.size() - 1);
            int start = obs.size() - 1;
            while (start > 0 && obs.get(start - 1).check.outcome().passed() == last.check.outcome().passed()) start--;
            Observation first = obs.get(start);
            CheckHistory h = new CheckHistory(e.getKey(), last.check.title(), last.check.phase(), last.check.outcome(), first.entry.started(),
                    first.entry.id(), obs.size() - start, transitions, last.entry.id().equals(latestId));
            (h.failing() ? failing : recovered).add(h);
        }
        List<CheckHistory> out = new ArrayList<>(failing);
        out.addAll(recovered);
        return out;
    }

    private record Observation(HistoryEntry entry, CheckResult check) {}
}

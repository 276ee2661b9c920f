package io.triaready.expect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.triaready.check.Facts;
import io.triaready.check.ProbeException;

/**
 * What a check expects of its facts: clauses of (fact, optional path into it, matcher), all of which
 * must hold. Evaluating gives one "expected vs actual" line per clause that did not hold.
 */
public record Expectation(List<Clause> clauses) {
    public Expectation {
        clauses = List.copyOf(clauses);
    }

    /**
     * One clause. {@code key} is a JSON path (starts with $) or a map key (looked up case-insensitively
     * when not found exactly, so {@code headers: {content-type: ...}} works), or null for the whole fact.
     */
    public record Clause(String fact, String key, JsonPath path, Matcher matcher) {
        public String subject() {
            if (key == null) return fact;
            return path != null ? fact + " " + key : fact + "." + key;
        }

        Object select(Object value) {
            if (key == null) return value;
            if (path != null) return path.read(value);
            if (value instanceof Map<?, ?> m) {
                if (m.containsKey(key)) return m.get(key);
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (String.valueOf(e.getKey()).equalsIgnoreCase(key)) return e.getValue();
                }
            }
            return Missing.INSTANCE;
        }
    }

    /** One line per clause, e.g. {@code status == 200}: for listings and explanations. */
    public List<String> describe() {
        return clauses.stream().map(c -> c.subject() + " " + c.matcher().describe()).toList();
    }

    /** The failures, empty when everything held. A fact that cannot be observed is a {@link ProbeException}. */
    public List<String> evaluate(Facts facts) throws ProbeException {
        List<String> failures = new ArrayList<>();
        for (Clause c : clauses) {
            Object actual = c.select(facts.get(c.fact()));
            if (!c.matcher().test(actual)) {
                String why = c.matcher().why(actual);
                failures.add(c.subject() + ": expected " + c.matcher().describe() + ", got " + Values.render(actual)
                        + (why == null ? "" : " (" + why + ")"));
            }
        }
        return failures;
    }
}

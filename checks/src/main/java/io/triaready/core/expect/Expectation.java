package io.triaready.core.expect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.triaready.spi.FactSchema;
import io.triaready.spi.Facts;
import io.triaready.spi.ProbeException;

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
    public record Clause(String fact, String key, JsonPath path, Matcher matcher, FactSchema.Guard guard) {
        public Clause(String fact, String key, JsonPath path, Matcher matcher) { this(fact, key, path, matcher, null); }

        /** The check type's guard, added because {@code expect} does not name its fact. */
        static Clause of(FactSchema.Guard g) { return new Clause(g.fact(), null, null, Matchers.equalTo(g.value()), g); }

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
        return clauses.stream().map(c -> c.subject() + " " + c.matcher().describe()
                + (c.guard() != null ? " (expect names no " + c.fact() + ")" : "")).toList();
    }

    /** The failures, empty when everything held. A fact that cannot be observed is a {@link ProbeException}. */
    public List<String> evaluate(Facts facts) throws ProbeException {
        List<String> failures = new ArrayList<>();
        for (Clause c : clauses) {
            Object actual = c.select(facts.get(c.fact()));
            if (!c.matcher().test(actual) && c.guard() != null) {
                failures.add(guardFailure(c, actual, facts));
            } else if (!c.matcher().test(actual)) {
                String why = c.matcher().why(actual);
                failures.add(c.subject() + ": expected " + c.matcher().describe() + ", got " + Values.render(actual)
                        + (why == null ? "" : " (" + why + ")"));
            }
        }
        return failures;
    }

    /** "exit code 127, expected 0 (expect names no exit_code); stderr: sh: 1: nope: not found". */
    private static String guardFailure(Clause c, Object actual, Facts facts) {
        String line = c.fact().replace('_', ' ') + " " + Values.render(actual) + ", expected " + c.matcher().describe()
                + " (expect names no " + c.fact() + ")";
        String context = c.guard().context();
        if (context != null && facts.has(context)) {
            try {
                Object v = facts.get(context);
                String first = v == null ? "" : String.valueOf(v).strip().lines().findFirst().orElse("");
                if (!first.isEmpty()) line += "; " + context + ": " + Values.render(first).replaceAll("^\"|\"$", "");
            } catch (ProbeException e) {
                // the context is a courtesy: the failure stands without it
            }
        }
        return line;
    }
}

package io.triaready.core.expect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.Suggest;
import io.triaready.base.yaml.YNode;
import io.triaready.spi.FactSchema;

/**
 * Reads an {@code expect:} mapping against a check type's facts. Keys are fact names
 * ({@code status: 200}), matcher operators applying to the primary fact ({@code contains: x}), or
 * a fact with sub-keys: JSON paths ({@code json: {"$.chromadb": connected}}) or map keys
 * ({@code headers: {content-type: {matches: json}}}). A scalar or list instead of a mapping is
 * "the primary fact equals this".
 */
public final class ExpectationParser {
    private ExpectationParser() {}

    public static Expectation parse(YNode n, FactSchema schema, String checkType, ParseContext ctx) {
        List<Expectation.Clause> clauses = new ArrayList<>();
        if (!n.isMap()) {
            Matcher m = MatcherParser.parse(n, ctx);
            if (m != null) clauses.add(new Expectation.Clause(schema.primary(), null, null, m));
            return guarded(clauses, schema);
        }
        if (n.entries().isEmpty()) {
            ctx.problem(n, "'expect' is empty: say what the check expects");
            return new Expectation(clauses);
        }
        List<Matcher> onPrimary = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Map.Entry<YNode, YNode> e : n.entries()) {
            String key = e.getKey().isScalar() ? e.getKey().text() : null;
            YNode value = e.getValue();
            if (key == null) {
                ctx.problem(e.getKey(), "keys in 'expect' must be plain strings");
                continue;
            }
            if (!seen.add(key)) {
                ctx.problem(e.getKey(), "duplicate key '" + key + "' in 'expect'");
                continue;
            }
            if (schema.has(key)) {
                if (value.isMap() && value.entries().isEmpty()) {
                    // no clause at all would be added, and a check with no clause passes whatever it observes
                    ctx.problem(value, "'" + key + ": {}' says nothing: give a value, matchers or sub-keys");
                } else if (value.isMap() && !MatcherParser.isOperatorMap(value)) {
                    subKeys(key, value, clauses, ctx);
                } else {
                    Matcher m = MatcherParser.parse(value, ctx);
                    if (m != null) clauses.add(new Expectation.Clause(key, null, null, m));
                }
            } else if (MatcherParser.OPERATORS.contains(key)) {
                Matcher m = MatcherParser.operator(key, value, ctx); // applies to the primary fact
                if (m != null) onPrimary.add(m);
            } else {
                List<String> candidates = new ArrayList<>(schema.names());
                candidates.addAll(MatcherParser.OPERATORS);
                ctx.problem(e.getKey(), "unknown expectation '" + key + "' for a " + checkType + " check" + Suggest.didYouMean(key, candidates)
                        + " (facts: " + String.join(", ", schema.names()) + ")");
            }
        }
        if (!onPrimary.isEmpty()) clauses.add(0, new Expectation.Clause(schema.primary(), null, null, Matchers.allOf(onPrimary)));
        return guarded(clauses, schema);
    }

    /** The type's guard first, unless a clause names its fact (then the user has said what it must be). */
    private static Expectation guarded(List<Expectation.Clause> clauses, FactSchema schema) {
        FactSchema.Guard g = schema.guard();
        if (g == null || clauses.isEmpty() || clauses.stream().anyMatch(c -> c.fact().equals(g.fact()))) return new Expectation(clauses);
        List<Expectation.Clause> out = new ArrayList<>();
        out.add(Expectation.Clause.of(g));
        out.addAll(clauses);
        return new Expectation(out);
    }

    private static void subKeys(String fact, YNode map, List<Expectation.Clause> clauses, ParseContext ctx) {
        for (Map.Entry<YNode, YNode> e : map.entries()) {
            String key = e.getKey().isScalar() ? e.getKey().text() : null;
            if (key == null) {
                ctx.problem(e.getKey(), "keys under '" + fact + "' must be plain strings");
                continue;
            }
            JsonPath path = null;
            java.util.Optional<String> operator = Suggest.closest(key, MatcherParser.OPERATORS);
            if (!JsonPath.looksLikePath(key) && operator.isPresent()) {
                // {containz: x} is a misspelt matcher far more often than a map key
                ctx.problem(e.getKey(), "unknown matcher '" + key + "' (did you mean '" + operator.get() + "'?)");
                continue;
            }
            if (JsonPath.looksLikePath(key)) {
                try {
                    path = JsonPath.parse(key);
                } catch (IllegalArgumentException ex) {
                    ctx.problem(e.getKey(), "invalid JSON path '" + key + "': " + ex.getMessage());
                    continue;
                }
            }
            Matcher m = MatcherParser.parse(e.getValue(), ctx);
            if (m != null) clauses.add(new Expectation.Clause(fact, key, path, m));
        }
    }
}

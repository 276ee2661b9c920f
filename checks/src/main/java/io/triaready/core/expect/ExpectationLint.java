package io.triaready.core.expect;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.Problems;
import io.triaready.base.yaml.YNode;
import io.triaready.spi.FactSchema;

/**
 * Warnings about expectations that parse but cannot fail, can never pass, or do not test what they
 * look like ({@code validate} prints them; {@code validate --strict} refuses them). Reads the same YAML
 * shape as {@link ExpectationParser}, after it, so only well-formed expectations are looked at.
 */
public final class ExpectationLint {
    /** Operators that only say what must be absent. */
    private static final Set<String> ABSENCE = Set.of("not_contains", "not_matches", "not");

    private final ParseContext ctx;
    private boolean onlyAbsence = true;
    /** The expectation also requires a count fact ({@code count}, {@code row_count}, ...) that fails on 0: an {@code all} is then not vacuous. */
    private boolean countRequired;
    private int leaves;

    private ExpectationLint(ParseContext ctx) { this.ctx = ctx; }

    /** Warns through {@code ctx}; {@code n} is the check's {@code expect} node. */
    public static void lint(YNode n, FactSchema schema, String checkType, ParseContext ctx) {
        ExpectationLint lint = new ExpectationLint(ctx);
        if (n.isNull()) {
            ctx.warn(n, "'expect' has no value: it tests that " + schema.primary() + " is null, which a check hardly ever means"
                    + (schema.defaultExpect() != null ? "; say what the check expects, or leave 'expect' out for the default (" + schema.defaultExpect() + ")" : ""));
            return;
        }
        if (!n.isMap()) {
            lint.matcher(n, false);
            return;
        }
        boolean namesGuard = false;
        Map<String, YNode> top = n.map();
        for (Map.Entry<String, YNode> e : top.entrySet()) {
            String k = e.getKey();
            if (schema.has(k) && (k.equals("count") || k.endsWith("_count")) && !lint.passes(e.getValue(), 0L)) lint.countRequired = true;
        }
        for (Map.Entry<YNode, YNode> e : n.entries()) {
            String key = e.getKey().text();
            YNode value = e.getValue();
            if (schema.guard() != null && key.equals(schema.guard().fact())) namesGuard = true;
            if (schema.has(key)) {
                if (value.isMap() && !MatcherParser.isOperatorMap(value)) {
                    for (Map.Entry<YNode, YNode> sub : value.entries()) lint.matcher(sub.getValue(), false);
                } else {
                    lint.matcher(value, false);
                }
            } else if (MatcherParser.OPERATORS.contains(key)) {
                lint.operator(e.getKey(), key, value, top, false);
            }
        }
        if (checkType.equals("command") && !namesGuard && lint.onlyAbsence && lint.leaves > 0) {
            ctx.warn(n, "this command check only tests that its output lacks something: a command that prints nothing"
                    + " (a wrong path, output on stderr) passes it; also test what a healthy run prints (contains, matches), or name exit_code");
        }
    }

    /** A matcher position: a plain value (equality) or a mapping of operators. */
    private void matcher(YNode v, boolean negated) {
        if (v.isMap() && MatcherParser.isOperatorMap(v)) {
            Map<String, YNode> ops = v.map();
            for (Map.Entry<YNode, YNode> e : v.entries()) operator(e.getKey(), e.getKey().text(), e.getValue(), ops, negated);
            return;
        }
        leaves++;
        onlyAbsence = false;
        if (v.isScalar() && v.scalar() instanceof Double d && d.isNaN()) {
            ctx.warn(v, "NaN equals nothing, itself included (as in Prometheus): this " + never(negated));
        }
    }

    private void operator(YNode keyNode, String op, YNode v, Map<String, YNode> siblings, boolean negated) {
        if (!op.equals("not")) {
            leaves++;
            if (!ABSENCE.contains(op)) onlyAbsence = false;
        }
        switch (op) {
            case "not" -> {
                // what "not" wraps is judged with its sense turned round; the wrapped test is an absence
                boolean before = onlyAbsence;
                int leavesBefore = leaves;
                matcher(v, !negated);
                onlyAbsence = before;
                if (leaves == leavesBefore) leaves++;
            }
            case "all" -> {
                YNode length = siblings.containsKey("length") ? siblings.get("length") : siblings.get("count");
                if (!countRequired && (length == null || passes(length, 0L))) {
                    ctx.warn(keyNode, "'all' holds for an empty list: add 'length: {gt: 0}' beside it so that an empty list fails"
                            + " (when nothing at all should pass, say what must be absent instead: not_contains, or not: {any: ...})");
                }
                matcher(v, negated);
            }
            case "any" -> matcher(v, negated);
            case "length", "count" -> {
                if (passes(v, 0L) && passes(v, 1L) && passes(v, 1_000_000_000L)) {
                    ctx.warn(keyNode, "'" + op + "' " + describe(v) + " holds for any length: this " + cannot(negated));
                }
                matcher(v, negated);
            }
            case "matches", "not_matches" -> {
                for (YNode item : v.isSeq() ? v.items() : List.of(v)) {
                    Pattern p = literalRegex(item);
                    if (p == null || !p.matcher("").find()) continue;
                    boolean always = op.equals("matches") != negated;
                    ctx.warn(item, "regex /" + p.pattern() + "/ matches any text (it matches the empty string): '" + op + "' "
                            + (always ? "cannot fail" : "can never pass"));
                }
            }
            case "contains", "not_contains" -> {
                for (YNode item : v.isSeq() ? v.items() : List.of(v)) {
                    if (item.isScalar() && (item.isNull() || "".equals(item.text()))) {
                        boolean always = op.equals("contains") != negated;
                        ctx.warn(item, "every text contains the empty string: '" + op + "' " + (always ? "cannot fail" : "can never pass"));
                    }
                }
            }
            case "gt", "gte", "lt", "lte" -> {
                Double b = bound(v);
                if (b == null) break;
                if ((op.startsWith("g") && b == Double.NEGATIVE_INFINITY) || (op.startsWith("l") && b == Double.POSITIVE_INFINITY)) {
                    ctx.warn(v, "'" + op + ": " + v.text() + "' holds for every number: this " + cannot(negated));
                }
            }
            case "between" -> {
                List<YNode> items = v.items();
                if (items.size() == 2) {
                    Double lo = bound(items.get(0));
                    Double hi = bound(items.get(1));
                    if (lo != null && hi != null && lo == Double.NEGATIVE_INFINITY && hi == Double.POSITIVE_INFINITY) {
                        ctx.warn(v, "'between' -inf and +inf holds for every number: this " + cannot(negated));
                    }
                }
            }
            case "one_of" -> {
                if (v.isSeq() && v.items().isEmpty()) ctx.warn(v, "'one_of: []' lists nothing: this " + never(negated));
            }
            case "equals" -> {
                if (v.isScalar() && v.scalar() instanceof Double d && d.isNaN()) {
                    ctx.warn(v, "NaN equals nothing, itself included (as in Prometheus): this " + never(negated));
                }
            }
            default -> { }
        }
    }

    private static String cannot(boolean negated) { return negated ? "can never pass" : "cannot fail"; }

    private static String never(boolean negated) { return negated ? "cannot fail" : "can never pass"; }

    /** Whether the matcher written at {@code n} holds for {@code value}; parsed aside, so it reports nothing. */
    private boolean passes(YNode n, Object value) {
        Matcher m = MatcherParser.parse(n, new ParseContext(new Problems(), Interpolator.none()));
        return m != null && m.test(value);
    }

    private static String describe(YNode n) {
        if (n.isScalar()) return String.valueOf(n.text());
        return n.entries().stream().map(e -> e.getKey().text() + ": " + (e.getValue().isScalar() ? e.getValue().text() : "...")).toList().toString()
                .replace('[', '{').replace(']', '}');
    }

    private static Double bound(YNode n) {
        Object v = n.isScalar() ? n.scalar() : null;
        if (v instanceof Number num) return num.doubleValue();
        if (v instanceof String s && !s.contains("${")) return Values.number(s);
        return null;
    }

    /** The regex as written, when it holds no variable (a variable's value is the target's business). */
    private static Pattern literalRegex(YNode n) {
        if (!n.isScalar() || n.isNull() || n.text().contains("${")) return null;
        try {
            return Pattern.compile(n.text(), Pattern.MULTILINE);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }
}

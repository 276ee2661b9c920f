package io.triaready.core.expect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.Suggest;
import io.triaready.base.yaml.YNode;

/**
 * Reads a matcher from YAML. A plain value means "equals"; a mapping of operators means all of them:
 * {@code {gte: 0.3, lt: 0.5}}. Operators: equals, not, lt, lte, gt, gte, between, contains,
 * not_contains, matches, not_matches, one_of, exists, length (alias count), all, any.
 */
public final class MatcherParser {
    public static final Set<String> OPERATORS = Set.of("equals", "not", "lt", "lte", "gt", "gte", "between", "contains",
            "not_contains", "matches", "not_matches", "one_of", "exists", "length", "count", "all", "any");

    private MatcherParser() {}

    /** True when every key of the mapping is an operator (as opposed to a map of sub-keys or JSON paths). */
    public static boolean isOperatorMap(YNode n) {
        if (!n.isMap() || n.entries().isEmpty()) return false;
        return n.map().keySet().stream().allMatch(OPERATORS::contains);
    }

    /** Returns null (after reporting) when the spec is unusable. */
    public static Matcher parse(YNode n, ParseContext ctx) {
        if (n.isMap()) {
            List<Matcher> parts = new ArrayList<>();
            for (Map.Entry<YNode, YNode> e : n.entries()) {
                String op = e.getKey().text();
                if (!OPERATORS.contains(op)) {
                    ctx.problem(e.getKey(), "unknown matcher '" + op + "'" + Suggest.didYouMean(op, OPERATORS));
                    continue;
                }
                Matcher m = operator(op, e.getValue(), ctx);
                if (m != null) parts.add(m);
            }
            if (parts.isEmpty()) {
                if (n.entries().isEmpty()) ctx.problem(n, "empty matcher: say what is expected");
                return null;
            }
            return Matchers.allOf(parts);
        }
        if (n.isSeq()) return Matchers.equalTo(ctx.plain(n));
        return Matchers.equalTo(ctx.plain(n));
    }

    static Matcher operator(String op, YNode v, ParseContext ctx) {
        switch (op) {
            case "equals":
                return Matchers.equalTo(ctx.plain(v));
            case "not": {
                Matcher inner = parse(v, ctx);
                return inner == null ? null : Matchers.not(inner);
            }
            case "lt":
            case "lte":
            case "gt":
            case "gte": {
                Double bound = number(v, op, ctx);
                return bound == null ? null : Matchers.compare(Matchers.Op.valueOf(op.toUpperCase()), bound);
            }
            case "between": {
                List<YNode> items = v.items();
                if (!v.isSeq() || items.size() != 2) {
                    ctx.problem(v, "'between' takes a list of two numbers, e.g. [200, 299]");
                    return null;
                }
                Double lo = number(items.get(0), op, ctx);
                Double hi = number(items.get(1), op, ctx);
                if (lo == null || hi == null) return null;
                if (lo > hi) {
                    ctx.problem(v, "'between' bounds are reversed: " + Values.formatNumber(lo) + " > " + Values.formatNumber(hi));
                    return null;
                }
                return Matchers.between(lo, hi);
            }
            case "contains":
            case "not_contains": {
                List<Matcher> each = new ArrayList<>();
                for (Object needle : scalarOrList(v, ctx)) {
                    Matcher c = Matchers.contains(needle);
                    each.add(op.equals("contains") ? c : Matchers.not(c));
                }
                return each.isEmpty() ? null : Matchers.allOf(each);
            }
            case "matches":
            case "not_matches": {
                List<Matcher> each = new ArrayList<>();
                List<YNode> nodes = v.isSeq() ? v.items() : List.of(v);
                for (YNode item : nodes) {
                    Pattern p = regex(item, ctx);
                    if (p == null) continue;
                    Matcher m = Matchers.matches(p);
                    each.add(op.equals("matches") ? m : Matchers.not(m));
                }
                return each.isEmpty() ? null : Matchers.allOf(each);
            }
            case "one_of": {
                if (!v.isSeq()) {
                    ctx.problem(v, "'one_of' takes a list, got " + v.describe());
                    return null;
                }
                Object plain = ctx.plain(v);
                @SuppressWarnings("unchecked")
                List<Object> options = (List<Object>) plain;
                return Matchers.oneOf(options);
            }
            case "exists": {
                Boolean bool = v.asBoolean();
                if (bool == null) {
                    ctx.problem(v, "'exists' takes true or false, got " + v.describe());
                    return null;
                }
                return Matchers.exists(bool);
            }
            case "length":
            case "count": {
                Matcher inner = parse(v, ctx);
                return inner == null ? null : Matchers.length(inner);
            }
            case "all":
            case "any": {
                Matcher inner = parse(v, ctx);
                if (inner == null) return null;
                return op.equals("all") ? Matchers.all(inner) : Matchers.any(inner);
            }
            default:
                throw new IllegalStateException(op);
        }
    }

    /** Compiles a regex, reporting a syntax error at its position. {@code ^}/{@code $} match at line boundaries. */
    public static Pattern regex(YNode n, ParseContext ctx) {
        String text = ctx.string(n, "a regular expression");
        if (text == null) {
            if (n.isNull()) ctx.problem(n, "a regular expression is expected here");
            return null;
        }
        try {
            return Pattern.compile(text, Pattern.MULTILINE);
        } catch (PatternSyntaxException e) {
            ctx.problem(n, "invalid regex '" + text + "': " + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
            return null;
        }
    }

    private static Double number(YNode n, String op, ParseContext ctx) {
        Object v = n.isScalar() ? n.scalar() : null;
        if (v instanceof String s) {
            Double d = Values.number(ctx.interpolator().apply(s, n, ctx.problems()));
            if (d != null && !d.isNaN()) return d;
        }
        if (v instanceof Number num && !Double.isNaN(num.doubleValue())) return num.doubleValue();
        if (v instanceof Number) {
            ctx.problem(n, "'" + op + "' takes a number, got NaN (no number compares with NaN: it could never pass)");
            return null;
        }
        ctx.problem(n, "'" + op + "' takes a number, got " + n.describe());
        return null;
    }

    private static List<Object> scalarOrList(YNode v, ParseContext ctx) {
        List<Object> out = new ArrayList<>();
        if (v.isSeq()) {
            for (YNode i : v.items()) out.add(ctx.plain(i));
        } else {
            out.add(ctx.plain(v));
        }
        return out;
    }
}

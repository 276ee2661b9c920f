package io.triaready.checks.support;

import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.ParseContext;
import io.triaready.core.expr.Expression;

/** A check's {@code value: "hits / (hits + misses)"}: an expression over the names a probe reads (columns, INFO fields). */
public final class ValueExpression {
    private ValueExpression() {}

    /**
     * The {@code value} expression, or null when there is none or it is unusable (reported). {@code names} says
     * what its names are, e.g. "columns": a label selector ({@code name{...}}) means something only in metrics checks.
     */
    public static Expression read(Fields f, ParseContext ctx, String names) {
        if (!f.has("value")) return null;
        Expression value = Expression.parse(f.node("value"), ctx, "'value'");
        if (value != null && value.names().stream().anyMatch(n -> n.contains("{"))) {
            ctx.problem(f.node("value"), "'value' names " + names + ": label selectors {...} only work in metrics checks");
            return null;
        }
        return value;
    }
}

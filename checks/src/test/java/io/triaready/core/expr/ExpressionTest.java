package io.triaready.core.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import org.junit.jupiter.api.Test;

class ExpressionTest {
    private static double eval(String text, Map<String, Double> vars) throws Exception {
        return Expression.parse(text).evaluate(name -> {
            Double v = vars.get(name);
            if (v == null) throw new EvaluationException("unknown name '" + name + "'");
            return v;
        });
    }

    private static double eval(String text) throws Exception { return eval(text, Map.of()); }

    @Test
    void numbersAndPrecedence() throws Exception {
        assertThat(eval("1 + 2 * 3")).isEqualTo(7);
        assertThat(eval("(1 + 2) * 3")).isEqualTo(9);
        assertThat(eval("10 - 4 - 3")).isEqualTo(3);          // left-associative
        assertThat(eval("100 / 10 / 5")).isEqualTo(2);
        assertThat(eval("2 * 3 / 4")).isEqualTo(1.5);
        assertThat(eval("1.5e2 + .5 + 2E-1")).isEqualTo(150.7);
        assertThat(eval("  42  ")).isEqualTo(42);
    }

    @Test
    void unaryMinusAndPlus() throws Exception {
        assertThat(eval("-3")).isEqualTo(-3);
        assertThat(eval("--3")).isEqualTo(3);
        assertThat(eval("2 * -3")).isEqualTo(-6);
        assertThat(eval("-(1 + 2) * 2")).isEqualTo(-6);
        assertThat(eval("+4 - -1")).isEqualTo(5);
    }

    @Test
    void namesAreLookedUp() throws Exception {
        Map<String, Double> v = Map.of("keyspace_hits", 30.0, "keyspace_misses", 70.0, "db0.keys", 5.0, "job:rate5m", 2.0);
        assertThat(eval("keyspace_hits / (keyspace_hits + keyspace_misses)", v)).isEqualTo(0.3);
        assertThat(eval("db0.keys * job:rate5m", v)).isEqualTo(10);
        assertThat(Expression.parse("a / (a + b) - c").names()).containsExactly("a", "b", "c");
    }

    @Test
    void singleName() throws Exception {
        assertThat(Expression.parse("used_memory").isSingleName()).isTrue();
        assertThat(Expression.parse("(used_memory)").isSingleName()).isTrue();
        assertThat(Expression.parse("used_memory / 1024").isSingleName()).isFalse();
    }

    @Test
    void labelSelectorsStayPartOfTheName() throws Exception {
        Expression e = Expression.parse("http_requests_total{status=~\"5..\", path=\"/a}b\"} / http_requests_total");
        assertThat(e.names()).containsExactly("http_requests_total{status=~\"5..\", path=\"/a}b\"}", "http_requests_total");
    }

    @Test
    void divisionByZeroQuotesTheDivisor() {
        assertThatThrownBy(() -> eval("hits / (hits + misses)", Map.of("hits", 0.0, "misses", 0.0)))
                .isInstanceOf(EvaluationException.class)
                .hasMessage("division by zero ('hits + misses' is 0)");
        assertThatThrownBy(() -> eval("1 / 0")).hasMessage("division by zero ('0' is 0)");
    }

    @Test
    void unknownNameIsAnEvaluationError() {
        assertThatThrownBy(() -> eval("a + 1")).isInstanceOf(EvaluationException.class).hasMessageContaining("'a'");
    }

    @Test
    void syntaxErrorsSayWhereAndWhat() {
        assertSyntax("a / (b", "missing ')' at position 7");
        assertSyntax("", "empty expression at position 1");
        assertSyntax("   ", "empty expression at position 1");
        assertSyntax("a +", "expected a number, a name or '(' but the expression ends at position 4");
        assertSyntax("a b", "unexpected 'b' at position 3");
        assertSyntax("a)", "unexpected ')' at position 2");
        assertSyntax("a % b", "unexpected '%' at position 3");
        assertSyntax("* 2", "expected a number, a name or '(' but found '*' at position 1");
        assertSyntax("2x", "unexpected 'x' after the number 2 at position 2");
        assertSyntax("()", "expected a number, a name or '(' but found ')' at position 2");
        assertSyntax("m{a=\"x\"", "missing '}' at position 8");
        assertSyntax("m{a=\"x}", "unterminated string in label selector at position 8");
        assertSyntax("a; drop", "unexpected ';' at position 2");
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "(".repeat(5000) + "1" + ")".repeat(5000);
        assertThatThrownBy(() -> Expression.parse(deep)).isInstanceOf(ExpressionException.class).hasMessageContaining("nested too deeply");
        String minus = "-".repeat(5000) + "1";
        assertThatThrownBy(() -> Expression.parse(minus)).isInstanceOf(ExpressionException.class).hasMessageContaining("nested too deeply");
    }

    @Test
    void nanAndInfinityFromLookupsPropagate() throws Exception {
        assertThat(eval("x + 1", Map.of("x", Double.NaN))).isNaN();
        assertThat(eval("x * 2", Map.of("x", Double.POSITIVE_INFINITY))).isInfinite();
    }

    @Test
    void yamlSyntaxErrorIsAProblemAtTheNode() {
        YNode root = YNode.parse("check:\n  value: \"a / (b\"\n", "p.yml");
        ParseContext ctx = ParseContext.plain();
        Expression e = Expression.parse(root.get("check").get("value"), ctx, "'value'");
        assertThat(e).isNull();
        assertThat(ctx.problems().sorted().toString()).contains("p.yml:2:10").contains("invalid expression 'a / (b': missing ')' at position 7");
    }

    private static void assertSyntax(String text, String message) {
        assertThatThrownBy(() -> Expression.parse(text)).isInstanceOf(ExpressionException.class).hasMessage(message);
    }
}

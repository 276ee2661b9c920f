package io.triaready.core.expr;

import java.util.LinkedHashSet;
import java.util.Set;

import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;

/**
 * A derived value such as {@code keyspace_hits / (keyspace_hits + keyspace_misses)}: numbers, names,
 * {@code + - * /}, unary minus and parentheses, nothing else (no functions, no scripting engine).
 * Parsed once when the playbook loads; evaluated with a name → number lookup that each check type
 * provides (Redis INFO fields, SQL columns, metric names).
 *
 * <p>Names are letters, digits, {@code _}, {@code :} and {@code .}, starting with a letter, {@code _} or
 * {@code :}. A name may carry a label selector written right after it, e.g.
 * {@code http_requests_total{status=~"5.."}}: only the metrics check gives it a meaning; the others
 * reject such names when the playbook loads.
 */
public final class Expression {
    private final String text;
    private final Node root;

    private Expression(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** Supplies the value of a name; throws when there is none. */
    @FunctionalInterface
    public interface Lookup {
        double value(String name) throws EvaluationException;
    }

    public static Expression parse(String text) throws ExpressionException {
        return new Expression(text, new Parser(text).parseAll());
    }

    /**
     * Parses the scalar at {@code n}, reporting a syntax error at the node:
     * {@code invalid expression 'a / (b': missing ')' at position 7}. Returns null after reporting.
     */
    public static Expression parse(YNode n, ParseContext ctx, String what) {
        String text = ctx.string(n, what);
        if (text == null) {
            if (n != null && n.isNull()) ctx.problem(n, what + " needs an expression, e.g. \"hits / (hits + misses)\"");
            return null;
        }
        try {
            return parse(text);
        } catch (ExpressionException e) {
            ctx.problem(n, "invalid expression '" + text + "': " + e.getMessage());
            return null;
        }
    }

    public String text() { return text; }

    /** Every name the expression reads, in order of first appearance. */
    public Set<String> names() {
        Set<String> out = new LinkedHashSet<>();
        root.collectNames(out);
        return out;
    }

    /** True when the whole expression is one name (so a check can report that name's own value). */
    public boolean isSingleName() { return root instanceof Node.Name; }

    public double evaluate(Lookup lookup) throws EvaluationException {
        return root.eval(text, lookup);
    }

    @Override
    public String toString() { return text; }

    /** The syntax tree. Every node knows its span in the text so errors can quote the part at fault. */
    sealed interface Node {
        int start();

        int end();

        double eval(String text, Lookup lookup) throws EvaluationException;

        default void collectNames(Set<String> out) { }

        record Num(double value, int start, int end) implements Node {
            public double eval(String text, Lookup lookup) { return value; }
        }

        record Name(String name, int start, int end) implements Node {
            public double eval(String text, Lookup lookup) throws EvaluationException { return lookup.value(name); }

            public void collectNames(Set<String> out) { out.add(name); }
        }

        record Neg(Node operand, int start, int end) implements Node {
            public double eval(String text, Lookup lookup) throws EvaluationException { return -operand.eval(text, lookup); }

            public void collectNames(Set<String> out) { operand.collectNames(out); }
        }

        record Binary(char op, Node left, Node right, int start, int end) implements Node {
            public double eval(String text, Lookup lookup) throws EvaluationException {
                double l = left.eval(text, lookup);
                double r = right.eval(text, lookup);
                return switch (op) {
                    case '+' -> l + r;
                    case '-' -> l - r;
                    case '*' -> l * r;
                    case '/' -> {
                        if (r == 0) {
                            String divisor = text.substring(right.start(), right.end()).strip();
                            if (divisor.startsWith("(") && divisor.endsWith(")")) divisor = divisor.substring(1, divisor.length() - 1).strip();
                            throw new EvaluationException("division by zero ('" + divisor + "' is 0)");
                        }
                        yield l / r;
                    }
                    default -> throw new IllegalStateException("operator " + op);
                };
            }

            public void collectNames(Set<String> out) {
                left.collectNames(out);
                right.collectNames(out);
            }
        }
    }

    /** Recursive descent over: expr := term (('+'|'-') term)*; term := unary (('*'|'/') unary)*; unary := ('-'|'+') unary | primary. */
    private static final class Parser {
        private static final int MAX_DEPTH = 100;
        private final String s;
        private int pos;
        private int depth;

        Parser(String s) { this.s = s; }

        @FunctionalInterface
        private interface Operand {
            Node parse() throws ExpressionException;
        }

        Node parseAll() throws ExpressionException {
            skipSpace();
            if (pos >= s.length()) throw new ExpressionException("empty expression", 1);
            Node n = expr();
            skipSpace();
            if (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ')') throw new ExpressionException("unexpected ')'", pos + 1);
                throw new ExpressionException("unexpected '" + tokenAt(pos) + "'", pos + 1);
            }
            return n;
        }

        private Node expr() throws ExpressionException {
            if (++depth > MAX_DEPTH) throw new ExpressionException("expression nested too deeply", pos + 1);
            Node sum = chain("+-", this::term);
            depth--;
            return sum;
        }

        private Node term() throws ExpressionException { return chain("*/", this::unary); }

        /** {@code operand (op operand)*}, left-associative, each op one of {@code ops}. */
        private Node chain(String ops, Operand operand) throws ExpressionException {
            Node left = operand.parse();
            while (true) {
                skipSpace();
                if (pos >= s.length() || ops.indexOf(s.charAt(pos)) < 0) return left;
                char op = s.charAt(pos++);
                Node right = operand.parse();
                left = new Node.Binary(op, left, right, left.start(), right.end());
            }
        }

        private Node unary() throws ExpressionException {
            skipSpace();
            if (pos < s.length() && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) {
                if (++depth > MAX_DEPTH) throw new ExpressionException("expression nested too deeply", pos + 1);
                int start = pos;
                char sign = s.charAt(pos++);
                Node operand = unary();
                depth--;
                return sign == '-' ? new Node.Neg(operand, start, operand.end()) : operand;
            }
            return primary();
        }

        private Node primary() throws ExpressionException {
            skipSpace();
            if (pos >= s.length()) throw new ExpressionException("expected a number, a name or '(' but the expression ends", pos + 1);
            char c = s.charAt(pos);
            int start = pos;
            if (c == '(') {
                pos++;
                Node inner = expr();
                skipSpace();
                if (pos >= s.length() || s.charAt(pos) != ')') throw new ExpressionException("missing ')'", pos + 1);
                pos++;
                return wrap(inner, start, pos);
            }
            if (isDigit(c) || (c == '.' && pos + 1 < s.length() && isDigit(s.charAt(pos + 1)))) return number();
            if (isNameStart(c)) return name();
            throw new ExpressionException("expected a number, a name or '(' but found '" + tokenAt(pos) + "'", pos + 1);
        }

        /** Parentheses widen the span, so "division by zero ('a + b' is 0)" can quote what the user wrote. */
        private static Node wrap(Node inner, int start, int end) {
            if (inner instanceof Node.Num n) return new Node.Num(n.value(), start, end);
            if (inner instanceof Node.Name n) return new Node.Name(n.name(), start, end);
            if (inner instanceof Node.Neg n) return new Node.Neg(n.operand(), start, end);
            Node.Binary b = (Node.Binary) inner;
            return new Node.Binary(b.op(), b.left(), b.right(), start, end);
        }

        private Node number() throws ExpressionException {
            int start = pos;
            while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            if (pos < s.length() && s.charAt(pos) == '.') {
                pos++;
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                int save = pos;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
                if (pos < s.length() && isDigit(s.charAt(pos))) {
                    while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
                } else {
                    pos = save;
                }
            }
            if (pos < s.length() && isNameStart(s.charAt(pos))) {
                throw new ExpressionException("unexpected '" + tokenAt(pos) + "' after the number " + s.substring(start, pos), pos + 1);
            }
            try {
                return new Node.Num(Double.parseDouble(s.substring(start, pos)), start, pos);
            } catch (NumberFormatException e) {
                throw new ExpressionException("invalid number '" + s.substring(start, pos) + "'", start + 1);
            }
        }

        private Node name() throws ExpressionException {
            int start = pos;
            while (pos < s.length() && isNamePart(s.charAt(pos))) pos++;
            if (pos < s.length() && s.charAt(pos) == '{') selector();
            return new Node.Name(s.substring(start, pos), start, pos);
        }

        /** A label selector {@code {k="v", k2=~"re"}} glued to a name: taken verbatim, quoted strings may contain braces. */
        private void selector() throws ExpressionException {
            pos++; // '{'
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '}') {
                    pos++;
                    return;
                }
                if (c == '"') {
                    pos++;
                    while (pos < s.length() && s.charAt(pos) != '"') {
                        if (s.charAt(pos) == '\\') pos++;
                        pos++;
                    }
                    if (pos >= s.length()) throw new ExpressionException("unterminated string in label selector", pos + 1);
                }
                pos++;
            }
            throw new ExpressionException("missing '}'", pos + 1);
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        /** The token at {@code p} for messages: a name or number whole, otherwise one character. */
        private String tokenAt(int p) {
            int e = p;
            while (e < s.length() && isNamePart(s.charAt(e))) e++;
            return e > p ? s.substring(p, e) : String.valueOf(s.charAt(p));
        }

        private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

        private static boolean isNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; }

        private static boolean isNamePart(char c) { return isNameStart(c) || isDigit(c) || c == '.'; }
    }
}

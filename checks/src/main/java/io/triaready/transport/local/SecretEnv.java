package io.triaready.transport.local;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;

import io.triaready.spi.Sudo;

/**
 * Keeps secrets off the command line of the commands tria-ready runs on a host. A command line is
 * world-readable for the command's whole life ({@code ps}, {@code /proc/PID/cmdline}, audit logs);
 * the environment of a process is readable only by its user and root.
 *
 * <p>How: every occurrence of a secret in the command text is replaced by a reference to an
 * environment variable ({@code TRIA_SECRET_1}, ...) written for the quoting it sits in: {@code ${V}}
 * unquoted or inside double quotes or an unquoted here-document, {@code '"${V}"'} inside single quotes.
 * A short preamble in front of the command reads the values from the command's stdin with the shell's
 * {@code read} builtin (no process, so no command line), exports them, and leaves the rest of stdin to
 * the command. The stdin sent is {@code MARKER\n} followed by each value as a line count and its
 * lines, then the command's own stdin. Everything before the marker is skipped: that is how a sudo
 * password that sudo did not need (NOPASSWD, root) never reaches the variables nor the command.
 *
 * <p>A secret is recognised in the text as written: one escaped by the caller (a {@code '} in a secret
 * quoted by {@link Shell#quote}) or inside a quoted here-document ({@code <<'EOF'}) stays as it is.
 */
public final class SecretEnv {
    /** The names of the variables: {@code TRIA_SECRET_1}, {@code TRIA_SECRET_2}, ... */
    public static final String PREFIX = "TRIA_SECRET_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretEnv() {}

    /** A command to run: its text (with the preamble when it carries secrets) and its stdin (null for none). */
    public record Prepared(String command, byte[] stdin) {}

    /** The command with its secrets replaced by references, and the values in the order of their names. */
    public record Hidden(String command, List<String> values) {
        public boolean any() { return !values.isEmpty(); }
    }

    /** {@code command} (run with {@code sh -c}) with no secret on its command line. */
    public static Prepared prepare(String command, byte[] stdin, List<String> secrets) {
        Hidden h = hide(command, secrets);
        if (!h.any()) return new Prepared(command, stdin);
        String marker = marker();
        return new Prepared(preamble(marker, h.values().size()) + h.command(), concat(input(marker, h.values()), stdin));
    }

    /**
     * {@code command} to run as root through sudo ({@link Sudo#wrap}), the sudo password (may be null)
     * and the secrets on stdin: the preamble runs as root, inside sudo (which passes no environment
     * through), before the command's stdin is closed.
     */
    public static Prepared prepareSudo(String command, String sudoPassword, List<String> secrets) {
        Hidden h = hide(command, secrets);
        byte[] password = sudoPassword == null ? null : Sudo.stdin(sudoPassword);
        if (!h.any()) return new Prepared(Sudo.wrap(command, sudoPassword != null), password);
        String marker = marker();
        return new Prepared(Sudo.wrap(h.command(), sudoPassword != null, preamble(marker, h.values().size())),
                concat(password, input(marker, h.values())));
    }

    private static String marker() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return "tria-secrets-" + HexFormat.of().formatHex(b);
    }

    /** Shell text that skips stdin up to the marker line and reads {@code n} values into exported variables. */
    static String preamble(String marker, int n) {
        StringBuilder b = new StringBuilder();
        b.append("while IFS= read -r __tr_l; do [ \"$__tr_l\" = ").append(marker).append(" ] && break; done\n");
        b.append("__tr_get() { IFS= read -r __tr_k || __tr_k=0; __tr_v=; __tr_s=; while [ \"$__tr_k\" -gt 0 ]; do IFS= read -r __tr_l; ")
                .append("__tr_v=\"$__tr_v$__tr_s$__tr_l\"; __tr_s='\n'; __tr_k=$((__tr_k-1)); done; }\n");
        for (int i = 1; i <= n; i++) b.append("__tr_get; ").append(PREFIX).append(i).append("=$__tr_v; export ").append(PREFIX).append(i).append('\n');
        b.append("unset __tr_l __tr_k __tr_v __tr_s; unset -f __tr_get\n");
        return b.toString();
    }

    static byte[] input(String marker, List<String> values) {
        StringBuilder b = new StringBuilder(marker).append('\n');
        for (String v : values) {
            String[] lines = v.split("\n", -1);
            b.append(lines.length).append('\n');
            for (String l : lines) b.append(l).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a == null) return b;
        if (b == null) return a;
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private enum Quote { NONE, SINGLE, DOUBLE, BACKTICK, HEREDOC, HEREDOC_QUOTED }

    /** A quoting context; {@code parens} counts the parentheses of a {@code $(...)} it opened. */
    private static final class Ctx {
        final Quote quote;
        int parens;
        final String delimiter;
        final boolean stripTabs;

        Ctx(Quote quote, int parens, String delimiter, boolean stripTabs) {
            this.quote = quote;
            this.parens = parens;
            this.delimiter = delimiter;
            this.stripTabs = stripTabs;
        }

        static Ctx of(Quote q) { return new Ctx(q, 0, null, false); }
    }

    /** A here-document announced on the current line: its body starts at the next newline. */
    private record PendingHeredoc(String delimiter, boolean quoted, boolean stripTabs) {}

    /**
     * Replaces each occurrence of a secret (longest first) in {@code command} by a variable reference
     * that fits the shell quoting at that place. The variables are numbered in order of first use.
     */
    public static Hidden hide(String command, List<String> secrets) {
        if (command == null || secrets.isEmpty()) return new Hidden(command, List.of());
        boolean any = false;
        for (String s : secrets) any |= !s.isEmpty() && command.contains(s);
        if (!any) return new Hidden(command, List.of());
        List<String> values = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        Deque<Ctx> stack = new ArrayDeque<>();
        stack.push(Ctx.of(Quote.NONE));
        List<PendingHeredoc> pending = new ArrayList<>();
        boolean lineStart = true;
        int i = 0;
        int n = command.length();
        while (i < n) {
            Ctx ctx = stack.peek();
            String secret = secretAt(command, i, secrets);
            if (secret != null && ctx.quote != Quote.HEREDOC_QUOTED) {
                int index = values.indexOf(secret);
                if (index < 0) {
                    values.add(secret);
                    index = values.size() - 1;
                }
                String ref = "${" + PREFIX + (index + 1) + "}";
                out.append(ctx.quote == Quote.SINGLE ? "'\"" + ref + "\"'" : ref);
                // the quoting after the secret is what its characters made it (as if written out)
                int end = i + secret.length();
                while (i < end) i = step(command, i, stack, pending, null);
                lineStart = false;
                continue;
            }
            if (ctx.quote == Quote.HEREDOC || ctx.quote == Quote.HEREDOC_QUOTED) {
                if (lineStart) {
                    int eol = command.indexOf('\n', i);
                    String line = command.substring(i, eol < 0 ? n : eol);
                    if ((ctx.stripTabs ? line.replaceFirst("^\t+", "") : line).equals(ctx.delimiter)) {
                        out.append(line);
                        i += line.length();
                        stack.pop();
                        continue;
                    }
                }
                char c = command.charAt(i);
                out.append(c);
                lineStart = c == '\n';
                i++;
                continue;
            }
            char c = command.charAt(i);
            int next = step(command, i, stack, pending, out);
            lineStart = c == '\n';
            if (c == '\n' && stack.peek().quote == Quote.NONE && !pending.isEmpty()) {
                // here-documents start after the line that announced them, the last one innermost
                for (int k = pending.size() - 1; k >= 0; k--) {
                    PendingHeredoc p = pending.get(k);
                    stack.push(new Ctx(p.quoted ? Quote.HEREDOC_QUOTED : Quote.HEREDOC, 0, p.delimiter, p.stripTabs));
                }
                pending.clear();
            }
            i = next;
        }
        return new Hidden(out.toString(), List.copyOf(values));
    }

    private static String secretAt(String command, int i, List<String> secrets) {
        for (String s : secrets) if (!s.isEmpty() && command.startsWith(s, i)) return s;
        return null;
    }

    /**
     * Consumes the character(s) at {@code i}, updating the quoting stack; copies them to {@code out}
     * when it is not null. Returns the index after them.
     */
    private static int step(String s, int i, Deque<Ctx> stack, List<PendingHeredoc> pending, StringBuilder out) {
        Ctx ctx = stack.peek();
        char c = s.charAt(i);
        int len = 1;
        switch (ctx.quote) {
            case SINGLE -> {
                if (c == '\'') stack.pop();
            }
            case DOUBLE -> {
                if (c == '\\' && i + 1 < s.length()) len = 2;
                else if (c == '"') stack.pop();
                else if (c == '`') stack.push(Ctx.of(Quote.BACKTICK));
                else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                    stack.push(new Ctx(Quote.NONE, 1, null, false));
                    len = 2;
                }
            }
            case HEREDOC, HEREDOC_QUOTED -> { }
            case NONE, BACKTICK -> {
                if (c == '\\' && i + 1 < s.length()) len = 2;
                else if (c == '\'') stack.push(Ctx.of(Quote.SINGLE));
                else if (c == '"') stack.push(Ctx.of(Quote.DOUBLE));
                else if (c == '`') {
                    if (ctx.quote == Quote.BACKTICK) stack.pop();
                    else stack.push(Ctx.of(Quote.BACKTICK));
                } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                    stack.push(Ctx.of(Quote.SINGLE));
                    len = 2;
                } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                    stack.push(new Ctx(Quote.NONE, 1, null, false));
                    len = 2;
                } else if (c == '(' && ctx.parens > 0) {
                    ctx.parens++;
                } else if (c == ')' && ctx.parens > 0) {
                    if (--ctx.parens == 0) stack.pop();
                } else if (c == '#' && (i == 0 || " \t\n;&|(".indexOf(s.charAt(i - 1)) >= 0)) {
                    int eol = s.indexOf('\n', i);
                    len = (eol < 0 ? s.length() : eol) - i; // a comment: up to the end of the line
                } else if (c == '<' && s.startsWith("<<", i) && !s.startsWith("<<<", i)) {
                    len = heredoc(s, i, pending);
                }
            }
        }
        if (out != null) out.append(s, i, i + len);
        return i + len;
    }

    /** Reads {@code <<[-]WORD} at {@code i} into {@code pending}; returns its length. */
    private static int heredoc(String s, int i, List<PendingHeredoc> pending) {
        int j = i + 2;
        boolean strip = j < s.length() && s.charAt(j) == '-';
        if (strip) j++;
        while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) j++;
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        while (j < s.length() && " \t\n;&|<>()".indexOf(s.charAt(j)) < 0) {
            char c = s.charAt(j);
            if (c == '\'' || c == '"') {
                quoted = true;
                int close = s.indexOf(c, j + 1);
                if (close < 0) close = s.length() - 1;
                word.append(s, j + 1, Math.max(j + 1, close));
                j = close + 1;
            } else if (c == '\\' && j + 1 < s.length()) {
                quoted = true;
                word.append(s.charAt(j + 1));
                j += 2;
            } else {
                word.append(c);
                j++;
            }
        }
        if (word.length() > 0) pending.add(new PendingHeredoc(word.toString(), quoted, strip));
        return j - i;
    }
}

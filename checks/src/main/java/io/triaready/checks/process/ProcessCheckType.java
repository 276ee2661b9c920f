package io.triaready.checks.process;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.checks.support.DeclaredCheckType;
import io.triaready.checks.support.HostProbe;
import io.triaready.spi.ExecResult;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Facts;
import io.triaready.spi.HostCommands;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Shell;

/**
 * {@code process: nginx}, {@code process: {name: sshd, user: root}} or {@code process: {pattern: "gunicorn .*app:api"}}:
 * running processes on every host, by exact process name ({@code pgrep -x}; the kernel keeps only the
 * first 15 characters of a name, so longer names are compared on those) or by a regular expression
 * on the full command line ({@code pgrep -f}). Falls back to {@code ps} where pgrep is missing.
 * Facts: running (primary), count, pids. Without {@code expect}, at least one must run.
 */
public final class ProcessCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("running", "running", "count", "pids").withDefault("running: true");

    /** Linux's TASK_COMM_LEN - 1: the part of a process name pgrep -x and ps comm see. */
    static final int COMM_LENGTH = 15;

    public ProcessCheckType() { super("process", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        String name = null;
        String pattern = null;
        String user = null;
        if (spec.isScalar()) {
            name = scalar(spec, ctx);
            if (name == null) return null;
        } else {
            Fields f = fields(spec, ctx);
            name = f.string("name").orElse(null);
            pattern = f.string("pattern").orElse(null);
            user = f.string("user").orElse(null);
            if (name == null && pattern == null && f.isValid()) {
                ctx.problem(spec, "process check needs 'name' (exact process name) or 'pattern' (regex on the command line)");
            } else if (name != null && pattern != null) {
                ctx.problem(f.keyNode("pattern"), "give either 'name' or 'pattern', not both");
            }
            if (pattern != null) {
                try {
                    Pattern.compile(pattern);
                } catch (PatternSyntaxException e) {
                    ctx.problem(f.node("pattern"), "invalid regular expression: " + e.getDescription());
                    pattern = null;
                }
            }
            f.finish();
            if (name == null && pattern == null) return null;
        }
        if (name != null && name.isBlank()) {
            needs(spec, ctx, "a process name, e.g. nginx");
            return null;
        }
        return new ProcessProbe(name, pattern, user == null || user.isBlank() ? null : user.trim());
    }

    /** pgrep -x takes an extended regex: a name like {@code php-fpm7.4} or {@code app(1)} must match only itself. */
    static String literal(String name) {
        return name.replaceAll("[\\\\.\\[\\]{}()*+?^$|]", "\\\\$0");
    }

    public record ProcessProbe(String name, String pattern, String user) implements HostProbe {
        @Override
        public String describe() {
            return "process " + (name != null ? name : "matching /" + pattern + "/") + (user == null ? "" : " of " + user);
        }

        String script() {
            String u = user == null ? "" : " -u " + Shell.quote(user);
            String pgrep = name != null
                    ? "pgrep -x" + u + " -- " + Shell.quote(literal(name.length() > COMM_LENGTH ? name.substring(0, COMM_LENGTH) : name))
                    : "pgrep -f" + u + " -- " + Shell.quote(pattern);
            String ps = name != null ? "ps -e -o pid= -o user= -o comm=" : "ps -e -o pid= -o user= -o args=";
            // $$ is this script's shell: with -f its own command line contains the pattern
            return "echo " + HostCommands.MARK + "self $$; if command -v pgrep >/dev/null 2>&1; then echo " + HostCommands.MARK
                    + "pgrep; " + pgrep + "; echo " + HostCommands.MARK + "exit $?; else echo " + HostCommands.MARK + "ps; " + ps + "; fi";
        }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            String host = ctx.host().name();
            ExecResult r = HostCommands.run(ctx, script(), describe());
            List<Long> pids = parse(r, host);
            return Facts.builder()
                    .put("running", !pids.isEmpty())
                    .put("count", (long) pids.size())
                    .put("pids", pids)
                    .note(pids.isEmpty() ? "no " + describe() + " running"
                            : pids.size() + " running: pid " + String.join(", ", pids.stream().limit(10).map(String::valueOf).toList())
                                    + (pids.size() > 10 ? ", ..." : ""))
                    .build();
        }

        List<Long> parse(ExecResult r, String host) throws ProbeException {
            List<String> lines = r.stdout().lines().toList();
            long self = -1;
            String mode = null;
            List<Long> pids = new ArrayList<>();
            Pattern regex = pattern == null ? null : Pattern.compile(pattern);
            String comm = name == null ? null : name.length() > COMM_LENGTH ? name.substring(0, COMM_LENGTH) : name;
            for (String line : lines) {
                if (line.startsWith(HostCommands.MARK)) {
                    String m = line.substring(HostCommands.MARK.length());
                    if (m.startsWith("self ")) self = Long.parseLong(m.substring(5).trim());
                    else if (m.startsWith("exit ")) {
                        int code = Integer.parseInt(m.substring(5).trim());
                        if (code > 1) {
                            throw new ProbeException("pgrep on " + host + " failed: " + HostCommands.why(r));
                        }
                    } else mode = m;
                    continue;
                }
                String t = line.trim();
                if (t.isEmpty()) continue;
                if ("pgrep".equals(mode)) {
                    long pid = Long.parseLong(t);
                    if (pid != self) pids.add(pid);
                } else if ("ps".equals(mode)) {
                    String[] f = t.split("\\s+", 3);
                    if (f.length < 3) continue;
                    long pid = Long.parseLong(f[0]);
                    if (pid == self) continue;
                    if (user != null && !f[1].equals(user)) continue;
                    boolean match = comm != null ? f[2].equals(comm) : regex.matcher(f[2]).find();
                    if (match) pids.add(pid);
                }
            }
            if (mode == null) throw new ProbeException("listing processes on " + host + " failed: " + HostCommands.why(r));
            pids.sort(null);
            return List.copyOf(pids);
        }
    }
}

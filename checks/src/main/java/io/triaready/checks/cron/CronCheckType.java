package io.triaready.checks.cron;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
 * {@code cron: "curl .*\/health"} or {@code cron: {pattern: ..., user: root, files: [...], root: /srv}}: cron
 * entries on every host whose line matches a regular expression. Entries come from the user's crontab
 * ({@code crontab -l}, {@code -u USER} with {@code user}), {@code /etc/crontab} and {@code /etc/cron.d/*}
 * (lines whose user field is USER, with {@code user}). {@code files} replaces the system files (a
 * directory means every file in it); {@code root} prefixes every path and reads user crontabs from
 * ROOT/var/spool/cron instead of running crontab (for a mounted image or a test tree). Comments, blank
 * lines and variable assignments are not entries. Facts: exists (primary), entries (the matching lines),
 * count. Without {@code expect}, at least one entry must match.
 */
public final class CronCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("exists", "exists", "entries", "count").withDefault("exists: true");

    private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*[A-Za-z_][A-Za-z0-9_]*\\s*=");

    public CronCheckType() { super("cron", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        String pattern;
        String user = null;
        List<String> files = null;
        String root = null;
        YNode patternNode = spec;
        if (spec.isScalar()) {
            pattern = scalar(spec, ctx);
            if (pattern == null) return null;
        } else {
            Fields f = fields(spec, ctx);
            pattern = f.string("pattern").orElse(null);
            patternNode = f.node("pattern");
            user = f.string("user").orElse(null);
            if (f.has("files")) files = f.stringList("files");
            root = f.string("root").orElse(null);
            if (files != null && root != null) ctx.problem(f.keyNode("root"), "give either 'files' or 'root', not both");
            f.finish();
            if (!f.isValid()) return null;
        }
        Pattern compiled = null;
        if (pattern != null && !pattern.isEmpty()) {
            try {
                compiled = Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                ctx.problem(patternNode, "invalid regular expression: " + e.getDescription());
                return null;
            }
        }
        if (root != null && (root.isBlank() || root.equals("/"))) root = null;
        return new CronProbe(compiled, user == null || user.isBlank() ? null : user.trim(), files == null ? null : List.copyOf(files),
                root == null ? null : root.replaceAll("/+$", ""));
    }

    public record CronProbe(Pattern pattern, String user, List<String> files, String root) implements HostProbe {
        @Override
        public String describe() {
            return "cron entries" + (pattern == null ? "" : " matching /" + pattern.pattern() + "/") + (user == null ? "" : " of " + user);
        }

        String script() {
            StringBuilder s = new StringBuilder();
            // each source is announced by a marker line: "crontab" (user format) or "file PATH" (system format)
            s.append("emit() { if [ -d \"$1\" ]; then for g in \"$1\"/*; do [ -f \"$g\" ] && { echo \"").append(HostCommands.MARK)
                    .append("$2 $g\"; cat -- \"$g\"; echo; }; done; elif [ -f \"$1\" ]; then echo \"").append(HostCommands.MARK)
                    .append("$2 $1\"; cat -- \"$1\"; echo; fi; }; ");
            if (files != null) {
                for (String f : files) s.append("emit ").append(Shell.quote(f)).append(" file; ");
            } else if (root != null) {
                String r = Shell.quote(root);
                s.append("emit ").append(r).append("/etc/crontab file; emit ").append(r).append("/etc/cron.d file; ");
                s.append("emit ").append(r).append("/var/spool/cron/crontabs spool; ");  // Debian: crontabs/USER
                s.append("for g in ").append(r).append("/var/spool/cron/*; do [ -f \"$g\" ] && emit \"$g\" spool; done; "); // RHEL: cron/USER
            } else {
                s.append("if command -v crontab >/dev/null 2>&1; then echo ").append(HostCommands.MARK).append("crontab; crontab -l")
                        .append(user == null ? "" : " -u " + Shell.quote(user)).append(" 2>/dev/null; echo; else echo ")
                        .append(HostCommands.MARK).append("no-crontab; fi; ");
                s.append("emit /etc/crontab file; emit /etc/cron.d file; ");
            }
            s.append("true");
            return s.toString();
        }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            String host = ctx.host().name();
            ExecResult r = HostCommands.run(ctx, script(), "reading cron entries");
            if (r.exitCode() != 0) throw new ProbeException("reading cron entries on " + host + " failed: " + HostCommands.why(r));
            List<String> entries = new ArrayList<>();
            Set<String> sources = new LinkedHashSet<>();
            List<String> notes = new ArrayList<>();
            String kind = null;
            String source = null;
            for (String line : r.stdout().split("\n")) {
                if (line.startsWith(HostCommands.MARK)) {
                    String m = line.substring(HostCommands.MARK.length());
                    if (m.equals("no-crontab")) {
                        notes.add("crontab is not installed: only system files read");
                        kind = null;
                        continue;
                    }
                    int sp = m.indexOf(' ');
                    kind = sp < 0 ? m : m.substring(0, sp);
                    source = sp < 0 ? (user == null ? "crontab" : "crontab of " + user) : m.substring(sp + 1);
                    continue;
                }
                if (kind == null) continue;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#") || ASSIGNMENT.matcher(t).find()) continue;
                if (user != null && !ownedBy(kind, source, t, user)) continue;
                if (pattern != null && !pattern.matcher(t).find()) continue;
                entries.add(t);
                sources.add(source);
            }
            Facts.Builder b = Facts.builder()
                    .put("exists", !entries.isEmpty())
                    .put("entries", List.copyOf(entries))
                    .put("count", (long) entries.size());
            String what = (pattern == null ? "" : " matching /" + pattern.pattern() + "/") + (user == null ? "" : " of " + user);
            b.note(entries.isEmpty() ? "no cron entry" + what
                    : entries.size() + (entries.size() == 1 ? " cron entry" : " cron entries") + what + " in " + String.join(", ", sources));
            notes.forEach(b::note);
            return b.build();
        }

        /** System files name the user in the 6th field (after 5 time fields, or after an @keyword); spool files are named after it. */
        static boolean ownedBy(String kind, String source, String line, String user) {
            if (kind.equals("crontab")) return true; // crontab -l -u USER already
            if (kind.equals("spool")) return source.substring(source.lastIndexOf('/') + 1).equals(user);
            String[] f = line.split("\\s+");
            int userField = f[0].startsWith("@") ? 1 : 5;
            return f.length > userField && f[userField].equals(user);
        }
    }
}

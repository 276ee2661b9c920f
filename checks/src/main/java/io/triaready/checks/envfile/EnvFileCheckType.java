package io.triaready.checks.envfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * {@code env_file: {path: /opt/tria/.env, required: [DATABASE_URL, OPENAI_API_KEY]}}: which variables a
 * dotenv file defines, on every host. Values are never read: the host itself (sed) reduces each line to
 * its NAME and whether the value is empty, so no secret crosses the connection or reaches a report.
 * Facts: missing (primary: required names not defined), defined (names with a non-empty value, in file
 * order), empty (names assigned an empty value), count (of defined), exists. Without {@code expect},
 * nothing required may be missing.
 */
public final class EnvFileCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("missing", "missing", "defined", "empty", "count", "exists")
            .withDefault("missing: {length: 0}");

    private static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";
    private static final String LEAD = "^[[:space:]]*(export[[:space:]]+)?(" + NAME + ")[[:space:]]*=";
    /** NAME=, NAME="", NAME='' and NAME= # comment: assigned, but empty. */
    static final String EMPTY = "s/" + LEAD + "[[:space:]]*(\"\"|'')?([[:space:]]+#.*)?[[:space:]]*$/E \\2/p";
    static final String SET = "s/" + LEAD + ".*$/S \\2/p";

    public EnvFileCheckType() { super("env_file", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        List<String> required = new ArrayList<>();
        String path = scalarOrKey(spec, ctx, "path", "a path",
                f -> required.addAll(names(f, ctx, "required", NAME, "a variable name (letters, digits and _, not starting with a digit)")));
        return path == null ? null : new EnvFileProbe(path, List.copyOf(new LinkedHashSet<>(required)));
    }

    public record EnvFileProbe(String path, List<String> required) implements HostProbe {
        @Override
        public String describe() { return "env file " + path + (required.isEmpty() ? "" : " requires " + String.join(", ", required)); }

        String script() {
            String q = Shell.quote(path);
            return "if [ ! -e " + q + " ]; then echo " + HostCommands.MARK + "missing; exit 0; fi; "
                    + "if [ ! -f " + q + " ]; then echo " + HostCommands.MARK + "not-a-file; exit 0; fi; "
                    + "sed -n -E -e " + Shell.quote(EMPTY) + " -e t -e " + Shell.quote(SET) + " < " + q;
        }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            String host = ctx.host().name();
            ExecResult r = HostCommands.run(ctx, script(), "reading " + path);
            String out = r.stdout();
            if (out.startsWith(HostCommands.MARK + "not-a-file")) throw new ProbeException(path + " on " + host + " is not a regular file");
            if (out.startsWith(HostCommands.MARK + "missing")) {
                return Facts.builder().put("exists", false).put("defined", List.of()).put("empty", List.of())
                        .put("missing", required).put("count", 0L).note(path + " does not exist").build();
            }
            if (r.exitCode() != 0) throw new ProbeException("reading " + path + " on " + host + " failed: " + HostCommands.why(r));
            // the last assignment of a name wins, as when the file is sourced
            Map<String, Boolean> names = new LinkedHashMap<>();
            for (String line : out.split("\n")) {
                if (line.length() < 3 || line.charAt(1) != ' ' || (line.charAt(0) != 'E' && line.charAt(0) != 'S')) continue;
                String name = line.substring(2).trim();
                if (!name.matches(NAME)) continue;
                names.remove(name);
                names.put(name, line.charAt(0) == 'S');
            }
            List<String> defined = new ArrayList<>();
            List<String> empty = new ArrayList<>();
            names.forEach((n, set) -> (set ? defined : empty).add(n));
            Set<String> definedSet = Set.copyOf(defined);
            List<String> missing = required.stream().filter(n -> !definedSet.contains(n)).toList();
            Facts.Builder b = Facts.builder()
                    .put("exists", true)
                    .put("defined", List.copyOf(defined))
                    .put("empty", List.copyOf(empty))
                    .put("missing", missing)
                    .put("count", (long) defined.size());
            b.note(path + ": " + defined.size() + " defined" + (empty.isEmpty() ? "" : ", empty: " + String.join(", ", empty))
                    + (required.isEmpty() ? "" : missing.isEmpty() ? ", all required present" : ", missing: " + String.join(", ", missing)));
            return b.build();
        }
    }
}

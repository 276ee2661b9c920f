package io.triaready.core.playbook;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.PlaybookException;
import io.triaready.base.yaml.Problem;
import io.triaready.base.yaml.Problems;
import io.triaready.base.yaml.Suggest;
import io.triaready.base.yaml.YNode;
import io.triaready.core.expect.Expectation;
import io.triaready.core.expect.ExpectationLint;
import io.triaready.core.expect.ExpectationParser;
import io.triaready.spi.CheckType;
import io.triaready.spi.CheckTypes;
import io.triaready.spi.Probe;
import io.triaready.spi.Target;

/**
 * Turns playbook files into a validated {@link Playbook}. Every mistake is collected with its
 * {@code file:line:column} and thrown together as a {@link PlaybookException}: YAML syntax, unknown
 * keys (with "did you mean"), wrong types, missing fields, duplicate ids, unknown references,
 * dependency cycles, bad phases, undefined variables, invalid regexes and JSON paths.
 */
public final class PlaybookLoader {
    static final Set<String> TOP_KEYS = Set.of("playbook", "title", "description", "vars", "categories", "fail_under",
            "defaults", "checks", "fixes");
    static final Set<String> CHECK_KEYS = Set.of("id", "phase", "title", "description", "category", "weight", "tags",
            "depends_on", "timeout", "retries", "retry_delay", "fix", "expect", "destructive");
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** Largest playbook file accepted: far above any real one, far below trouble. */
    static final long MAX_FILE_BYTES = 2L * 1024 * 1024;
    static final int MAX_CHECKS = 5000;
    /** A check's weight and a category's budget: relative numbers; more than this is a typo (and sums must stay finite). */
    static final double MAX_WEIGHT = 1_000_000;
    static final long MAX_RETRIES = 10;

    /** What the loader resolves variables against. */
    public record Options(Target target, Map<String, String> cliVars, Interpolator.External external,
                          Function<String, String> env, Secrets secrets) {
        public static Options forAudit(Target target, Map<String, String> cliVars, Secrets secrets) {
            return new Options(target, cliVars, Interpolator.External.RESOLVE, System::getenv, secrets);
        }

        /** For an audit whose {@code ${env:...}} come from {@code env} (the command's environment). */
        public static Options forAudit(Target target, Map<String, String> cliVars, Secrets secrets, Function<String, String> env) {
            return new Options(target, cliVars, Interpolator.External.RESOLVE, env, secrets);
        }

        /** For {@code validate}: no secrets needed, {@code ${env:...}} is not resolved. */
        public static Options forValidate(Target target, Map<String, String> cliVars) {
            return new Options(target, cliVars, Interpolator.External.PLACEHOLDER, k -> null, new Secrets());
        }
    }

    private final CheckTypes types;

    public PlaybookLoader(CheckTypes types) {
        this.types = types;
    }

    /** Loads a file, or every *.yaml / *.yml file of a directory as one playbook. */
    public Playbook load(Path path, Options options) {
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(path)) {
                files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
            } catch (IOException e) {
                throw new PlaybookException(new Problem(path.toString(), 0, 0, "cannot read directory: " + e.getMessage()));
            }
            if (files.isEmpty()) throw new PlaybookException(new Problem(path.toString(), 0, 0, "no *.yaml playbook files in this directory"));
            List<YNode> docs = new ArrayList<>();
            Problems problems = new Problems();
            for (Path f : files) {
                try {
                    docs.add(readFile(f));
                } catch (PlaybookException e) {
                    e.problems().forEach(problems::add);
                }
            }
            problems.throwIfAny();
            return build(docs, path.toString(), path.getFileName().toString(), options);
        }
        return build(List.of(readFile(path)), path.toString(), null, options);
    }

    /** Loads YAML text; {@code name} is what problems are reported against (a path or {@code bundled:NAME}). */
    public Playbook load(Reader reader, String name, Options options) {
        return build(List.of(YNode.parse(reader, name)), name, null, options);
    }

    public Playbook loadBundled(String name, InputStream in, Options options) {
        return load(new InputStreamReader(in, StandardCharsets.UTF_8), "bundled:" + name, options);
    }

    private static YNode readFile(Path path) {
        return YNode.parseFile(path, MAX_FILE_BYTES);
    }

    private Playbook build(List<YNode> docs, String source, String dirName, Options options) {
        Problems problems = new Problems();
        // pass 1: headers and vars of every document, so variables resolve across files
        Map<String, String> playbookVars = new LinkedHashMap<>();
        Map<String, Double> categories = new LinkedHashMap<>();
        String id = null; // the first playbook: id of the files, else the directory's name
        String title = null;
        String description = null;
        Double failUnder = null;
        Duration defaultTimeout = null;
        Retry defaultRetry = Retry.NONE;
        ParseContext rawCtx = new ParseContext(problems, Interpolator.none());
        List<Fields> headers = new ArrayList<>();
        for (YNode doc : docs) {
            Fields top = Fields.of(doc, rawCtx, "the playbook");
            headers.add(top);
            if (!top.isValid()) continue;
            YNode varsNode = top.node("vars");
            if (varsNode != null) {
                Fields vars = Fields.of(varsNode, rawCtx, "'vars'");
                for (String k : vars.presentKeys()) {
                    YNode v = vars.node(k);
                    if (!v.isScalar()) {
                        rawCtx.problem(v, "variable '" + k + "' must be a string or number, got " + v.describe());
                    } else {
                        playbookVars.put(k, v.isNull() ? "" : v.text());
                    }
                }
            }
        }
        Map<String, String> scope = new LinkedHashMap<>(playbookVars);
        scope.putAll(options.target().variables());
        scope.putAll(options.cliVars());
        Interpolator interpolator = new Interpolator(scope, options.secrets(), options.external(), options.env(), options.target().name());
        ParseContext ctx = new ParseContext(problems, interpolator);

        List<CheckDef> checks = new ArrayList<>();
        List<FixDef> fixes = new ArrayList<>();
        Map<String, YNode> checkIdNodes = new LinkedHashMap<>();
        FixParser fixParser = new FixParser(ctx);
        Map<String, YNode> fixIdNodes = fixParser.ids();
        Map<String, YNode> dependsNodes = new HashMap<>();
        Map<String, YNode> fixRefNodes = new HashMap<>();
        Map<String, YNode> categoryNodes = new HashMap<>();

        for (Fields top : headers) {
            if (!top.isValid()) continue;
            YNode idNode = top.node("playbook");
            if (idNode != null) {
                String pid = ctx.string(idNode, "'playbook'");
                if (pid != null && !ID.matcher(pid).matches()) ctx.problem(idNode, "invalid playbook id '" + pid + "' (letters, digits, '.', '_', '-')");
                else if (pid != null && id == null) id = pid;
            }
            title = top.string("title").orElse(title);
            description = top.string("description").orElse(description);
            YNode fu = top.node("fail_under");
            if (fu != null) failUnder = percent(fu, ctx, "'fail_under'");
            YNode cat = top.node("categories");
            if (cat != null) {
                Fields cf = Fields.of(cat, ctx, "'categories'");
                for (String name : cf.presentKeys()) {
                    YNode v = cf.node(name);
                    Object n = v.isScalar() ? v.scalar() : null;
                    if (!(n instanceof Number num) || !(num.doubleValue() > 0 && num.doubleValue() <= MAX_WEIGHT)) {
                        ctx.problem(v, "category budget for '" + name + "' must be a number greater than 0 and at most "
                                + (long) MAX_WEIGHT + ", got " + (n instanceof Number ? v.text() : v.describe()));
                    } else {
                        categories.put(name, num.doubleValue());
                        categoryNodes.put(name, v);
                    }
                }
            }
            YNode defaults = top.node("defaults");
            if (defaults != null) {
                Fields df = Fields.of(defaults, ctx, "'defaults'");
                defaultTimeout = df.duration("timeout").orElse(defaultTimeout);
                int count = (int) (long) df.integer("retries", 0, MAX_RETRIES).orElse(0L);
                Duration delay = df.duration("retry_delay").orElse(Duration.ofSeconds(1));
                if (count > 0) defaultRetry = new Retry(count, delay);
                df.finish();
            }
            top.allow("vars");
        }
        if (id == null) id = dirName;
        if (id == null) {
            YNode first = docs.get(0);
            ctx.problem(first, "the playbook is missing required key 'playbook' (its id, e.g. playbook: my-service)");
        }

        for (Fields top : headers) {
            if (!top.isValid()) continue;
            YNode checksNode = top.node("checks");
            if (checksNode != null && !checksNode.isNull()) {
                if (!checksNode.isSeq()) {
                    ctx.problem(checksNode, "'checks' must be a list of checks, got " + checksNode.describe());
                } else {
                    for (YNode c : checksNode.items()) {
                        if (checks.size() >= MAX_CHECKS) {
                            ctx.problem(c, "more than " + MAX_CHECKS + " checks");
                            break;
                        }
                        CheckDef def = parseCheck(c, ctx, defaultTimeout, defaultRetry, checkIdNodes, dependsNodes, fixRefNodes, categories, categoryNodes);
                        if (def != null) checks.add(def);
                    }
                }
            }
            YNode fixesNode = top.node("fixes");
            if (fixesNode != null && !fixesNode.isNull()) {
                if (!fixesNode.isSeq()) {
                    ctx.problem(fixesNode, "'fixes' must be a list of fixes, got " + fixesNode.describe());
                } else {
                    for (YNode f : fixesNode.items()) {
                        FixDef def = fixParser.parse(f);
                        if (def != null) fixes.add(def);
                    }
                }
            }
            top.finish();
        }
        if (checks.isEmpty() && problems.isEmpty()) {
            ctx.problem(docs.get(0), "the playbook has no checks (add a 'checks:' list)");
        }
        References.check(checks, ctx, checkIdNodes, dependsNodes, fixRefNodes, fixParser.refs(), fixIdNodes);
        problems.throwIfAny();
        return new Playbook(id, title == null ? id : title, description, source, playbookVars, categories, failUnder, checks, fixes,
                problems.warnings());
    }

    private static Double percent(YNode n, ParseContext ctx, String what) {
        Object v = n.isScalar() ? n.scalar() : null;
        if (v instanceof Number num && num.doubleValue() >= 0 && num.doubleValue() <= 100) return num.doubleValue();
        ctx.problem(n, what + " must be a number from 0 to 100, got " + n.describe());
        return null;
    }

    private CheckDef parseCheck(YNode node, ParseContext ctx, Duration defaultTimeout, Retry defaultRetry,
                                Map<String, YNode> idNodes, Map<String, YNode> dependsNodes, Map<String, YNode> fixRefNodes,
                                Map<String, Double> categories, Map<String, YNode> categoryNodes) {
        Fields f = Fields.of(node, ctx, "check");
        if (!f.isValid()) return null;
        String id = f.requiredString("id");
        String what = id == null ? "check" : "check '" + id + "'";
        if (id != null) {
            YNode idNode = f.node("id");
            if (!ID.matcher(id).matches()) {
                ctx.problem(idNode, "invalid check id '" + id + "' (letters, digits, '.', '_', '-'; starting with a letter or digit)");
            } else if (idNodes.containsKey(id)) {
                YNode first = idNodes.get(id);
                ctx.problem(idNode, "duplicate check id '" + id + "' (first defined at " + first.file() + ":" + first.line() + ")");
                id = null;
            } else {
                idNodes.put(id, idNode);
            }
        }
        Phase phase = null;
        YNode phaseNode = f.node("phase");
        if (phaseNode == null) {
            ctx.problem(node, what + " is missing required key 'phase' (p0, p1 or p2)");
        } else {
            String text = ctx.string(phaseNode, "'phase'");
            phase = Phase.parse(text).orElse(null);
            if (phase == null && text != null) ctx.problem(phaseNode, "invalid phase '" + text + "' (use p0, p1 or p2)");
        }
        String title = f.string("title").orElse(id);
        String description = f.string("description").orElse(null);
        String category = f.string("category").orElse(null);
        if (category != null && !categories.isEmpty() && !categories.containsKey(category)) {
            ctx.problem(f.node("category"), "unknown category '" + category + "'" + Suggest.didYouMean(category, categories.keySet())
                    + " (the playbook's categories: " + String.join(", ", categories.keySet()) + ")");
        } else if (category == null && !categories.isEmpty()) {
            ctx.problem(node, what + " has no 'category', but the playbook scores by categories (" + String.join(", ", categories.keySet()) + ")");
        }
        double weight = f.number("weight", 0, true, MAX_WEIGHT).orElse(1.0);
        List<String> tags = f.stringList("tags");
        List<String> dependsOn = f.stringList("depends_on");
        if (f.has("depends_on") && id != null) dependsNodes.put(id, f.node("depends_on"));
        Duration timeout = f.duration("timeout").orElse(defaultTimeout); // more than 0, at most a day (Fields.duration)
        Retry retry = defaultRetry;
        YNode retriesNode = f.node("retries");
        if (retriesNode != null) {
            long count = f.integer("retries", 0, MAX_RETRIES).orElse(0L);
            retry = new Retry((int) count, f.duration("retry_delay").orElse(Duration.ofSeconds(1)));
        } else if (f.has("retry_delay")) {
            retry = new Retry(defaultRetry.count(), f.duration("retry_delay").orElse(defaultRetry.delay()));
        }
        String fix = f.string("fix").orElse(null);
        if (fix != null && id != null) fixRefNodes.put(id, f.node("fix"));
        boolean destructive = f.bool("destructive", false);

        // exactly one check type key
        List<String> typeKeys = new ArrayList<>();
        for (String key : f.presentKeys()) {
            if (types.get(key).isPresent()) typeKeys.add(key);
        }
        CheckType type = null;
        Probe probe = null;
        String reportedKey = null;
        if (typeKeys.isEmpty()) {
            List<String> unknown = f.presentKeys().stream().filter(k -> !CHECK_KEYS.contains(k)).toList();
            if (!unknown.isEmpty()) {
                // the key that is not a check key is almost certainly meant as the type
                String hint = Suggest.didYouMean(unknown.get(0), types.names());
                ctx.problem(f.keyNode(unknown.get(0)), "unknown check type '" + unknown.get(0) + "'"
                        + (hint.isEmpty() ? " (types: " + String.join(", ", types.names()) + ")" : hint));
                reportedKey = unknown.get(0);
            } else {
                ctx.problem(node, what + " needs one check type: " + String.join(", ", types.names()));
            }
        } else {
            if (typeKeys.size() > 1) {
                ctx.problem(f.keyNode(typeKeys.get(1)), what + " has two check types ('" + typeKeys.get(0) + "' and '" + typeKeys.get(1) + "'): use one per check");
            }
            type = types.get(typeKeys.get(0)).orElseThrow();
            for (String k : typeKeys) f.allow(k);
            probe = type.parse(f.node(type.name()), ctx);
        }
        Expectation expect = null;
        if (type != null) {
            YNode expectNode = f.node("expect");
            if (expectNode != null) {
                int before = ctx.problems().size();
                expect = ExpectationParser.parse(expectNode, type.facts(), type.name(), ctx);
                if (ctx.problems().size() == before) ExpectationLint.lint(expectNode, type.facts(), type.name(), ctx);
            } else if (type.facts().defaultExpect() != null) {
                expect = ExpectationParser.parse(YNode.parse(type.facts().defaultExpect(), "<default expect of " + type.name() + ">"),
                        type.facts(), type.name(), ctx);
            } else {
                f.missing("expect");
            }
        }
        List<String> allowed = new ArrayList<>(CHECK_KEYS);
        allowed.addAll(types.names());
        f.allow(CHECK_KEYS.toArray(String[]::new));
        for (String k : f.presentKeys()) {
            if (!CHECK_KEYS.contains(k) && types.get(k).isEmpty() && !k.equals(reportedKey)) {
                ctx.problem(f.keyNode(k), "unknown key '" + k + "' in " + what + Suggest.didYouMean(k, allowed));
            }
        }
        if (id == null || phase == null || probe == null || expect == null) return null;
        return new CheckDef(id, phase, title, description, category, weight, tags, dependsOn, timeout, retry, fix,
                type.name(), probe, expect, destructive, node.file() + ":" + node.line());
    }
}

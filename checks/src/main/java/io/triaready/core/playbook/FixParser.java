package io.triaready.core.playbook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.Suggest;
import io.triaready.base.yaml.YNode;
import io.triaready.spi.Need;

/**
 * Reads the {@code fixes:} of a playbook. Check ids a fix refers to ({@code verify}, {@code requires},
 * {@code wait}) are collected as {@link Ref}s so the loader can check them once every check is known.
 */
final class FixParser {
    static final Set<String> STEP_KINDS = Set.of("run", "http", "sql", "wait");
    static final Duration DEFAULT_RUN_TIMEOUT = Duration.ofMinutes(5);
    static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofMinutes(2);

    /** A check id written somewhere in a fix. */
    record Ref(String checkId, YNode at, String what) {}

    private final ParseContext ctx;
    private final Map<String, YNode> idNodes = new LinkedHashMap<>();
    private final List<Ref> refs = new ArrayList<>();

    FixParser(ParseContext ctx) {
        this.ctx = ctx;
    }

    Map<String, YNode> ids() { return idNodes; }

    List<Ref> refs() { return refs; }

    FixDef parse(YNode node) {
        Fields f = Fields.of(node, ctx, "fix");
        if (!f.isValid()) return null;
        String id = f.requiredString("id");
        if (id != null) {
            YNode idNode = f.node("id");
            if (!PlaybookLoader.ID.matcher(id).matches()) {
                ctx.problem(idNode, "invalid fix id '" + id + "'");
            } else if (idNodes.containsKey(id)) {
                ctx.problem(idNode, "duplicate fix id '" + id + "' (first defined at " + idNodes.get(id).file() + ":" + idNodes.get(id).line() + ")");
                id = null;
            } else {
                idNodes.put(id, idNode);
            }
        }
        String what = id == null ? "fix" : "fix '" + id + "'";
        String title = f.string("title").orElse(id);
        String manual = f.string("manual").orElse(null);
        YNode stepsNode = f.node("steps");
        List<FixStep> steps = steps(stepsNode, what, "steps");
        if (manual == null && stepsNode == null) ctx.problem(node, what + " needs 'steps' (what to run) or 'manual' (instructions for a person)");
        if (manual != null && stepsNode != null) ctx.problem(f.keyNode("manual"), what + " has both 'steps' and 'manual': a fix is one or the other");
        List<FixStep> rollback = steps(f.node("rollback"), what, "rollback");
        if (manual != null && f.has("rollback")) ctx.problem(f.keyNode("rollback"), what + " is manual: it has nothing to roll back");
        List<String> verify = references(f, "verify");
        List<String> requires = references(f, "requires");
        FixDef.Disruption disruption = FixDef.Disruption.LOW;
        String d = f.string("disruption").orElse(null);
        if (d != null) {
            try {
                disruption = FixDef.Disruption.valueOf(d.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                ctx.problem(f.node("disruption"), "invalid disruption '" + d + "' (use none, low, medium or high)");
            }
        }
        String restarts = null;
        YNode r = f.node("restarts");
        if (r != null && r.asBoolean() != null) restarts = r.asBoolean() ? "yes" : null;
        else if (r != null) restarts = ctx.string(r, "'restarts'");
        boolean reboots = f.bool("reboots", false);
        // what else it touches: fixes sharing a lock name never run on a host at once (FixDef.lockNames)
        List<String> locks = f.stringList("locks");
        for (String l : locks) {
            if (!l.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                ctx.problem(f.node("locks"), what + ": invalid lock name '" + l + "' (letters, digits, '.', '_' and '-', e.g. nginx)");
            }
        }
        f.finish();
        if (id == null) return null;
        return new FixDef(id, title, manual, steps, verify, requires, rollback, disruption, restarts, reboots, node.file() + ":" + node.line(), locks);
    }

    private List<String> references(Fields f, String key) {
        List<String> ids = f.stringList(key);
        YNode at = f.node(key);
        List<YNode> items = at != null && at.isSeq() ? at.items() : at == null ? List.of() : List.of(at);
        for (int i = 0; i < ids.size(); i++) refs.add(new Ref(ids.get(i), i < items.size() ? items.get(i) : at, key));
        return ids;
    }

    private List<FixStep> steps(YNode stepsNode, String what, String key) {
        List<FixStep> out = new ArrayList<>();
        if (stepsNode == null || stepsNode.isNull()) return out;
        if (!stepsNode.isSeq()) {
            ctx.problem(stepsNode, "'" + key + "' must be a list, got " + stepsNode.describe());
            return out;
        }
        if (stepsNode.items().isEmpty()) ctx.problem(stepsNode, what + " has an empty '" + key + "' list");
        for (YNode s : stepsNode.items()) {
            FixStep step = step(s);
            if (step != null) out.add(step);
        }
        return out;
    }

    private FixStep step(YNode s) {
        if (!s.isMap()) {
            ctx.problem(s, "a fix step must be a mapping such as {run: \"systemctl restart app\"}, got " + s.describe());
            return null;
        }
        Map<String, YNode> m = s.map();
        List<String> kinds = m.keySet().stream().filter(STEP_KINDS::contains).toList();
        if (kinds.size() != 1) {
            String first = m.keySet().stream().findFirst().orElse("");
            ctx.problem(s, kinds.isEmpty()
                    ? "a fix step needs one of run, http, sql, wait" + (first.isEmpty() ? "" : Suggest.didYouMean(first, STEP_KINDS))
                    : "a fix step has one kind, found " + String.join(" and ", kinds));
            return null;
        }
        String kind = kinds.get(0);
        Fields f = Fields.of(s, ctx, "'" + kind + "' step");
        String location = s.file() + ":" + s.line();
        FixStep step = switch (kind) {
            case "run" -> {
                String command = f.requiredString("run");
                boolean sudo = f.bool("sudo", false);
                Duration timeout = f.duration("timeout").orElse(DEFAULT_RUN_TIMEOUT);
                yield command == null ? null
                        : new FixStep(FixStep.Kind.RUN, command, sudo, null, null, null, null, null, timeout, location, null);
            }
            case "http" -> {
                YNode h = f.node("http");
                Map<String, Object> spec = new LinkedHashMap<>();
                if (h != null && h.isScalar()) {
                    spec.put("url", ctx.string(h, "'http'"));
                } else {
                    Fields hf = Fields.of(h, ctx, "'http' step");
                    spec.put("method", hf.string("method", "POST").toUpperCase(Locale.ROOT));
                    spec.put("url", hf.requiredString("url"));
                    spec.put("headers", hf.stringMap("headers"));
                    if (hf.has("json")) spec.put("json", hf.plain("json"));
                    hf.string("body").ifPresent(b -> spec.put("body", b));
                    hf.integer("expect_status", 100, 599).ifPresent(c -> spec.put("expect_status", c));
                    hf.bool("insecure", false);
                    if (hf.has("insecure")) spec.put("insecure", hf.bool("insecure", false));
                    hf.finish();
                }
                spec.putIfAbsent("method", "POST");
                Duration timeout = f.duration("timeout").orElse(Duration.ofSeconds(30));
                yield spec.get("url") == null ? null
                        : new FixStep(FixStep.Kind.HTTP, null, false, spec, null, null, null, null, timeout, location, null);
            }
            case "sql" -> {
                List<String> statements = f.stringList("sql");
                if (statements.isEmpty()) ctx.problem(f.node("sql") == null ? s : f.node("sql"), "'sql' step needs at least one statement");
                String endpoint = f.string("endpoint", "postgres");
                Duration timeout = f.duration("timeout").orElse(Duration.ofSeconds(60));
                yield statements.isEmpty() ? null
                        : new FixStep(FixStep.Kind.SQL, null, false, null, statements, endpoint, null, null, timeout, location,
                                // named: a step has no url of its own to offer instead; the url's form is checked with the inventory
                                List.of(new Need(endpoint, true, s.file(), s.line(), s.column(), null)));
            }
            default -> {
                String check = f.requiredString("wait");
                if (check != null) refs.add(new Ref(check, f.node("wait"), "wait"));
                Duration timeout = f.duration("timeout").orElse(DEFAULT_WAIT_TIMEOUT);
                Duration interval = f.duration("interval").orElse(Duration.ofSeconds(2));
                yield check == null ? null
                        : new FixStep(FixStep.Kind.WAIT, null, false, null, null, null, check, interval, timeout, location, null);
            }
        };
        f.allow("timeout");
        f.finish();
        return step;
    }
}

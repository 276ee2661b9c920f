package io.triaready.core.playbook;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.triaready.base.yaml.Problem;

/**
 * A loaded playbook: its checks and fixes, its variables and its score budget per category
 * (empty when it has none). {@code source} is the file it came from, or {@code bundled:NAME}.
 */
public record Playbook(
        String id,
        String title,
        String description,
        String source,
        Map<String, String> vars,
        Map<String, Double> categories,
        Double failUnder,
        List<CheckDef> checks,
        List<FixDef> fixes,
        List<Problem> warnings) {

    /** {@code warnings}: what {@code validate} warns about (expectations that cannot fail, ...), in file order. */
    public Playbook {
        warnings = List.copyOf(warnings);
        vars = Map.copyOf(vars);
        categories = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(categories));
        checks = List.copyOf(checks);
        fixes = List.copyOf(fixes);
    }

    public Playbook(String id, String title, String description, String source, Map<String, String> vars, Map<String, Double> categories,
                    Double failUnder, List<CheckDef> checks, List<FixDef> fixes) {
        this(id, title, description, source, vars, categories, failUnder, checks, fixes, List.of());
    }

    public Optional<CheckDef> check(String id) { return checks.stream().filter(c -> c.id().equals(id)).findFirst(); }

    public Optional<FixDef> fix(String id) { return fixes.stream().filter(f -> f.id().equals(id)).findFirst(); }

    /** The checks a fix repairs: its {@code verify} list, or else every check naming it. */
    public List<CheckDef> checksRepairedBy(FixDef fix) {
        if (!fix.verify().isEmpty()) return checks.stream().filter(c -> fix.verify().contains(c.id())).toList();
        return checks.stream().filter(c -> fix.id().equals(c.fix())).toList();
    }
}

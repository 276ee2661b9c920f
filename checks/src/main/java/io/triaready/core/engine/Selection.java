package io.triaready.core.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.triaready.core.playbook.CheckDef;
import io.triaready.core.playbook.Phase;

/**
 * Which checks the user asked for: phases ({@code --phase p0} or {@code --up-to p1}), ids
 * ({@code --only}), tags ({@code --tag}) and exclusions ({@code --skip}). Empty sets mean "all".
 * {@link #plan} turns it into the checks that run and, for every other check, why it does not.
 */
public record Selection(Set<Phase> phases, Set<String> only, Set<String> tags, Set<String> skip, boolean destructive) {
    public static final Selection ALL = new Selection(Set.of(), Set.of(), Set.of(), Set.of());

    /** Without destructive checks. */
    public Selection(Set<Phase> phases, Set<String> only, Set<String> tags, Set<String> skip) {
        this(phases, only, tags, skip, false);
    }

    public Selection {
        phases = Set.copyOf(phases);
        only = Set.copyOf(only);
        tags = Set.copyOf(tags);
        skip = Set.copyOf(skip);
    }

    public boolean selects(CheckDef c) {
        if (excluded(c) != null) return false;
        if (!phases.isEmpty() && !phases.contains(c.phase())) return false;
        if (!only.isEmpty() && !only.contains(c.id())) return false;
        if (!tags.isEmpty() && c.tags().stream().noneMatch(tags::contains)) return false;
        return true;
    }

    /** Why a check may not run even as a dependency of a selected one, or null: --skip, or destructive without --destructive. */
    private String excluded(CheckDef c) {
        if (skip.contains(c.id())) return "skipped with --skip";
        if (c.destructive() && !destructive) return "destructive: runs only with --destructive";
        return null;
    }

    /**
     * A check that does not run: {@code reason} is the one line reports show; {@code dependency} the
     * check it depends on that may not run (null when it was simply not selected, skipped or destructive).
     */
    public record NotRun(String reason, String dependency) {}

    /** The checks that run, in playbook order, and why each other check does not. */
    public record Plan(Set<String> toRun, Map<String, NotRun> notRun) {
        public Plan {
            toRun = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(toRun));
            notRun = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(notRun));
        }

        /** Selected checks left out because a check they depend on is skipped or destructive (the user is told). */
        public Map<String, NotRun> leftOutByDependency() {
            Map<String, NotRun> out = new LinkedHashMap<>();
            notRun.forEach((id, n) -> { if (n.dependency() != null) out.put(id, n); });
            return out;
        }
    }

    /**
     * The selected checks plus everything they depend on (a check cannot be judged without its
     * dependencies, so they run even when a filter would leave them out), except: a selected check
     * that depends, directly or not, on a check that is skipped with {@code --skip} or destructive
     * without {@code --destructive} does not run either ("depends on X, which is skipped"): it is
     * never run behind the user's back, nor counted as failing for a check nobody observed.
     */
    public Plan plan(List<CheckDef> checks) {
        Map<String, CheckDef> byId = new LinkedHashMap<>();
        checks.forEach(c -> byId.put(c.id(), c));
        Set<String> run = new LinkedHashSet<>();
        Map<String, NotRun> notRun = new LinkedHashMap<>();
        for (CheckDef c : checks) {
            if (!selects(c)) continue;
            Set<String> closure = new LinkedHashSet<>();
            List<String> path = new ArrayList<>();
            String blocker = closure(c, byId, closure, path);
            if (blocker == null) {
                run.addAll(closure);
            } else {
                String via = path.size() > 1 ? " (via " + String.join(" → ", path.subList(0, path.size() - 1)) + ")" : "";
                notRun.put(c.id(), new NotRun("depends on " + blocker + via + ", which is not run: " + excluded(byId.get(blocker)), blocker));
            }
        }
        String filters = filterNote();
        for (CheckDef c : checks) {
            if (run.contains(c.id()) || notRun.containsKey(c.id())) continue;
            String why = excluded(c);
            notRun.put(c.id(), new NotRun(why != null ? why : "not selected" + (filters.isEmpty() ? "" : " (" + filters + ")"), null));
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (CheckDef c : checks) if (run.contains(c.id())) ordered.add(c.id());
        Map<String, NotRun> notRunOrdered = new LinkedHashMap<>();
        for (CheckDef c : checks) if (notRun.containsKey(c.id())) notRunOrdered.put(c.id(), notRun.get(c.id()));
        return new Plan(ordered, notRunOrdered);
    }

    /** Collects c and its dependencies into {@code out}; returns the first excluded dependency (with {@code path} to it), or null. */
    private String closure(CheckDef c, Map<String, CheckDef> byId, Set<String> out, List<String> path) {
        if (!out.add(c.id())) return null;
        for (String d : c.dependsOn()) {
            CheckDef dep = byId.get(d);
            if (dep == null) continue; // the loader rejects unknown dependencies
            path.add(d);
            if (excluded(dep) != null) return d;
            String deeper = closure(dep, byId, out, path);
            if (deeper != null) return deeper;
            path.remove(path.size() - 1);
        }
        return null;
    }

    /** The filters that choose checks (not --skip or --destructive), as reports name them: "phase p2; tag smoke". */
    private String filterNote() {
        List<String> out = new ArrayList<>();
        if (!phases.isEmpty()) out.add("phase " + String.join(",", phases.stream().sorted().map(Phase::id).toList()));
        if (!only.isEmpty()) out.add("only " + String.join(",", only.stream().sorted().toList()));
        if (!tags.isEmpty()) out.add("tag " + String.join(",", tags.stream().sorted().toList()));
        return String.join("; ", out);
    }

    /** Human description for reports, e.g. ["phase p0", "tag smoke"]. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        if (!phases.isEmpty()) out.add("phase " + String.join(",", phases.stream().sorted().map(Phase::id).toList()));
        if (!only.isEmpty()) out.add("only " + String.join(",", only.stream().sorted().toList()));
        if (!tags.isEmpty()) out.add("tag " + String.join(",", tags.stream().sorted().toList()));
        if (!skip.isEmpty()) out.add("skip " + String.join(",", skip.stream().sorted().toList()));
        if (destructive) out.add("destructive checks included");
        return out;
    }
}

package io.triaready.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.triaready.playbook.CheckDef;
import io.triaready.playbook.Phase;

/**
 * Which checks the user asked for: phases ({@code --phase p0} or {@code --up-to p1}), ids
 * ({@code --only}), tags ({@code --tag}) and exclusions ({@code --skip}). Empty sets mean "all".
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
        if (skip.contains(c.id())) return false;
        if (c.destructive() && !destructive) return false;
        if (!phases.isEmpty() && !phases.contains(c.phase())) return false;
        if (!only.isEmpty() && !only.contains(c.id())) return false;
        if (!tags.isEmpty() && c.tags().stream().noneMatch(tags::contains)) return false;
        return true;
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

package io.triaready.cli;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.triaready.base.yaml.Suggest;
import io.triaready.core.engine.Selection;
import io.triaready.core.playbook.Phase;
import io.triaready.core.playbook.Playbook;
import picocli.CommandLine.Option;

/** Filters: which checks of the playbook to run. */
public final class SelectionOptions {
    @Option(names = "--phase", paramLabel = "p0|p1|p2", split = ",", description = "Only these phases.")
    List<String> phases = List.of();

    @Option(names = "--up-to", paramLabel = "p0|p1|p2", description = "This phase and the more urgent ones (--up-to p1 = p0 and p1).")
    String upTo;

    @Option(names = "--only", paramLabel = "ID", split = ",", description = "Only these checks (their dependencies run too).")
    List<String> only = List.of();

    @Option(names = "--tag", paramLabel = "TAG", split = ",", description = "Only checks with one of these tags.")
    List<String> tags = List.of();

    @Option(names = "--skip", paramLabel = "ID", split = ",", description = "Leave these checks out.")
    List<String> skip = List.of();

    @Option(names = "--destructive", description = "Also run checks marked destructive (they can harm the target: never in production by accident).")
    boolean destructive;

    /** The selection, with every id and tag checked against the playbook. */
    Selection toSelection(Playbook playbook) {
        Set<Phase> ph = EnumSet.noneOf(Phase.class);
        for (String p : phases) ph.add(phase(p, "--phase"));
        if (upTo != null) {
            if (!phases.isEmpty()) throw new UserError("--phase and --up-to do not go together: use one");
            Phase limit = phase(upTo, "--up-to");
            for (Phase p : Phase.values()) if (p.ordinal() <= limit.ordinal()) ph.add(p);
        }
        List<String> ids = playbook.checks().stream().map(c -> c.id()).toList();
        for (String id : concat(only, skip)) {
            if (!ids.contains(id)) {
                throw new UserError("unknown check id '" + id + "' in playbook " + playbook.id() + Suggest.didYouMean(id, ids)
                        + " (see 'tria-ready list')");
            }
        }
        Set<String> allTags = new LinkedHashSet<>();
        playbook.checks().forEach(c -> allTags.addAll(c.tags()));
        for (String t : tags) {
            if (!allTags.contains(t)) {
                throw new UserError("no check of playbook " + playbook.id() + " has tag '" + t + "'" + Suggest.didYouMean(t, allTags)
                        + (allTags.isEmpty() ? " (it uses no tags)" : ""));
            }
        }
        return new Selection(ph, Set.copyOf(only), Set.copyOf(tags), Set.copyOf(skip), destructive);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static Phase phase(String text, String flag) {
        return Phase.parse(text).orElseThrow(() -> new UserError(flag + ": invalid phase '" + text + "' (use p0, p1 or p2)"));
    }
}

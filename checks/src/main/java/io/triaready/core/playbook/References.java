package io.triaready.core.playbook;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.Suggest;
import io.triaready.base.yaml.YNode;

/**
 * What a playbook's checks and fixes name must exist: every {@code depends_on} and {@code fix:} of a
 * check, every check a fix names; and {@code depends_on} must not loop (each cycle reported once, at
 * the check that closes it). Run once all files of the playbook are read, since a reference may point
 * to another file.
 */
final class References {
    private References() {}

    static void check(List<CheckDef> checks, ParseContext ctx, Map<String, YNode> checkIds,
                                        Map<String, YNode> dependsNodes, Map<String, YNode> fixRefNodes,
                                        List<FixParser.Ref> fixRefs, Map<String, YNode> fixIds) {
        Set<String> ids = checkIds.keySet();
        for (CheckDef c : checks) {
            YNode at = dependsNodes.get(c.id());
            List<YNode> items = at != null && at.isSeq() ? at.items() : List.of();
            for (int i = 0; i < c.dependsOn().size(); i++) {
                String dep = c.dependsOn().get(i);
                YNode where = i < items.size() ? items.get(i) : at;
                if (dep.equals(c.id())) ctx.problem(where, "check '" + c.id() + "' depends on itself");
                else if (!ids.contains(dep)) ctx.problem(where, "depends_on: unknown check '" + dep + "'" + Suggest.didYouMean(dep, ids));
            }
            if (c.fix() != null && !fixIds.containsKey(c.fix())) {
                ctx.problem(fixRefNodes.get(c.id()), "fix: unknown fix '" + c.fix() + "'" + Suggest.didYouMean(c.fix(), fixIds.keySet())
                        + (fixIds.isEmpty() ? " (the playbook has no 'fixes')" : ""));
            }
        }
        for (FixParser.Ref ref : fixRefs) {
            if (!ids.contains(ref.checkId())) {
                ctx.problem(ref.at(), ref.what() + ": unknown check '" + ref.checkId() + "'" + Suggest.didYouMean(ref.checkId(), ids));
            }
        }
        // cycles: depth-first search, reporting each cycle once at the check that closes it
        Map<String, List<String>> graph = new LinkedHashMap<>();
        for (CheckDef c : checks) graph.put(c.id(), c.dependsOn().stream().filter(ids::contains).filter(d -> !d.equals(c.id())).toList());
        Map<String, Integer> state = new HashMap<>();
        Set<String> reported = new LinkedHashSet<>();
        for (String start : graph.keySet()) {
            findCycle(start, graph, state, new ArrayList<>(), ctx, dependsNodes, reported);
        }
    }

    private static void findCycle(String node, Map<String, List<String>> graph, Map<String, Integer> state, List<String> path,
                                  ParseContext ctx, Map<String, YNode> dependsNodes, Set<String> reported) {
        Integer s = state.get(node);
        if (s != null && s == 2) return;
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            cycle.add(node);
            String key = String.join(">", cycle.subList(0, cycle.size() - 1).stream().sorted().toList());
            if (reported.add(key)) {
                String closer = path.get(path.size() - 1);
                ctx.problem(dependsNodes.get(closer), "dependency cycle: " + String.join(" -> ", cycle));
            }
            return;
        }
        state.put(node, 1);
        path.add(node);
        for (String next : graph.getOrDefault(node, List.of())) findCycle(next, graph, state, path, ctx, dependsNodes, reported);
        path.remove(path.size() - 1);
        state.put(node, 2);
    }
}

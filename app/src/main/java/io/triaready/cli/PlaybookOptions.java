package io.triaready.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Option;

/** Which playbook, which target, which variables. */
public final class PlaybookOptions {
    @Option(names = {"-p", "--playbook"}, paramLabel = "NAME|PATH",
            description = "A playbook file, a directory of them, or a bundled name (e.g. baseline). Default: ./playbook.yaml.")
    String playbook;

    @Option(names = {"-t", "--target"}, paramLabel = "NAME", defaultValue = "local",
            description = "The target to audit, from the inventory (default: ${DEFAULT-VALUE}, this machine).")
    String target;

    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE",
            description = "The targets file. Default: ./targets.yaml, then $XDG_CONFIG_HOME/tria-ready/targets.yaml.")
    Path inventory;

    @Option(names = "--var", paramLabel = "KEY=VALUE", description = "Set a playbook variable (overrides vars and the target's).")
    List<String> vars = List.of();

    @Option(names = "--attestations", paramLabel = "FILE",
            description = "The sign-offs file for attest checks. Default: the target's vars tria.attestations in the inventory (relative to it), else ./attestations.yaml.")
    java.nio.file.Path attestations;

    @Option(names = "--accept-new-host-keys",
            description = "Trust and remember SSH host keys seen for the first time (like StrictHostKeyChecking=accept-new). Changed keys are still refused.")
    boolean acceptNewHostKeys;

    Map<String, String> varMap() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : vars) {
            int eq = v.indexOf('=');
            if (eq <= 0) throw new UserError("--var '" + v + "': expected KEY=VALUE");
            out.put(v.substring(0, eq).trim(), v.substring(eq + 1));
        }
        return out;
    }
}

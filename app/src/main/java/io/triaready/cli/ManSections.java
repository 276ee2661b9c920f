package io.triaready.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of the man pages that the command line model does not hold: examples per command, and the
 * files, environment and exit status every command shares. Rows are {@code {term, text}}; an example is
 * {@code {what it does, the command}}. Kept beside the commands so a new command gets its examples here.
 */
final class ManSections {
    private ManSections() {}

    static List<String[]> examples(String command, boolean top) {
        if (top) {
            return List.of(
                    new String[] {"Audit this machine with the bundled host baseline:", "tria-ready audit --playbook baseline"},
                    new String[] {"On call: is P0 green on prod?", "tria-ready audit -p playbook.yaml -t prod --phase p0"},
                    new String[] {"A CI step: JUnit for the CI, JSON for later, fail under 90:",
                            "tria-ready audit -p playbook.yaml -t staging -o report.xml -o result.json --fail-under 90"});
        }
        return switch (command) {
            case "audit" -> List.<String[]>of(
                    new String[] {"Audit this machine with the bundled host baseline:", "tria-ready audit --playbook baseline"},
                    new String[] {"Only P0, against the prod target of ./targets.yaml:", "tria-ready audit -p playbook.yaml -t prod --phase p0"},
                    new String[] {"A CI step with reports and a threshold:",
                            "tria-ready audit -p playbook.yaml -t staging -o report.xml -o result.json --fail-under 90"});
            case "validate" -> List.<String[]>of(
                    new String[] {"Check a playbook and its target without contacting anything:",
                            "tria-ready validate playbook.yaml -i targets.yaml -t prod"});
            case "fix" -> List.<String[]>of(
                    new String[] {"Show what a fix would do, change nothing:", "tria-ready fix chromadb -p playbook.yaml -t prod --dry-run"},
                    new String[] {"Apply it (asks first), then re-check:", "tria-ready fix chromadb -p playbook.yaml -t prod"});
            case "list" -> List.<String[]>of(new String[] {"The playbooks that ship with the tool:", "tria-ready list --bundled"});
            case "explain" -> List.<String[]>of(new String[] {"What a check does and how to fix it:", "tria-ready explain chromadb-connected -p playbook.yaml"});
            case "history" -> List.<String[]>of(new String[] {"The score over time against prod:", "tria-ready history -t prod"});
            case "diff" -> List.<String[]>of(new String[] {"What regressed since the previous run; exit 1 if anything did:",
                    "tria-ready diff --last 2 -t prod --fail-on-regression"});
            case "report" -> List.<String[]>of(new String[] {"Re-render a saved result as HTML:", "tria-ready report result.json -o report.html"});
            case "attest" -> List.<String[]>of(new String[] {"Sign off a criterion only a person can judge:",
                    "tria-ready attest team-trained --by alice@example.com -t prod --valid-for 90d"});
            case "completion" -> List.<String[]>of(new String[] {"Complete tria-ready's commands and options in bash:",
                    "source <(tria-ready completion bash)"});
            default -> List.<String[]>of();
        };
    }

    static List<String[]> files() {
        return List.of(
                new String[] {"./targets.yaml, $XDG_CONFIG_HOME/tria-ready/targets.yaml",
                        "The inventory (targets) when -i is not given, the first that exists (~/.config when XDG_CONFIG_HOME is unset)."},
                new String[] {"./playbook.yaml", "The playbook when -p is not given."},
                new String[] {"$XDG_STATE_HOME/tria-ready", "The history store when neither --store nor TRIA_READY_STORE is set (~/.local/state/tria-ready)."},
                new String[] {"~/.ssh/config, ~/.ssh/known_hosts, ~/.ssh/id_*",
                        "Read as OpenSSH reads them, for targets reached over SSH; host keys are verified against known_hosts."});
    }

    static List<String[]> environment() {
        return List.of(
                new String[] {"NO_COLOR", "When set, the text report has no colour."},
                new String[] {"XDG_CONFIG_HOME, XDG_STATE_HOME", "Where the default inventory and history store are."},
                new String[] {"TRIA_READY_STORE, TRIA_READY_STORE_PASSWORD", "The history store (a directory or a jdbc:postgresql URL) and its password."},
                new String[] {"SSH_AUTH_SOCK", "The ssh-agent whose keys are offered first."},
                new String[] {"TRIA_READY_TRACE", "When set, the run's milestones and their times are printed to standard error at exit."},
                new String[] {"TRIA_READY_SPEED_TRICKS", "off: no SSH speed tricks (as audit --no-speed-tricks; for fix too). See docs/performance.md."},
                new String[] {"JAVA_OPTS", "Extra options for the Java runtime the launcher starts."});
    }

    static List<String[]> exitStatus(String command, boolean top) {
        List<String[]> rows = new ArrayList<>();
        switch (top ? "audit" : command) {
            case "audit", "fix" -> {
                rows.add(new String[] {"0", "READY (fix: the checks it repairs pass)."});
                rows.add(new String[] {"1", "NOT READY, BLOCKED or NO DATA (fix: still failing)."});
            }
            case "diff" -> {
                rows.add(new String[] {"0", "Compared (also with regressions, unless --fail-on-regression)."});
                rows.add(new String[] {"1", "A check regressed, with --fail-on-regression."});
            }
            default -> rows.add(new String[] {"0", "Done."});
        }
        rows.add(new String[] {"2", "A mistake in a flag, the playbook, the inventory or an id: one line, with file:line:column when it comes from a file."});
        rows.add(new String[] {"70", "An internal error (a bug: run again with --debug and report it)."});
        if (top || command.equals("audit") || command.equals("report")) {
            rows.add(new String[] {"73", "A report could not be written (-o FILE, $GITHUB_STEP_SUMMARY): one line on stderr, the other reports are "
                    + "still written. Wins over 0 and 1; with -f nagios, OK becomes UNKNOWN (3)."});
        }
        rows.add(new String[] {"130", "Interrupted (Ctrl-C); an audit still writes its partial report, marked interrupted."});
        rows.add(new String[] {"143", "Terminated (SIGTERM); an audit stops the checks in flight and still writes its partial report, marked interrupted."});
        return rows;
    }
}

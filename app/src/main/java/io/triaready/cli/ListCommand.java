package io.triaready.cli;

import java.util.List;

import io.triaready.core.playbook.CheckDef;
import io.triaready.core.playbook.FixDef;
import io.triaready.core.playbook.Phase;
import io.triaready.core.playbook.Playbook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The checks of a playbook by phase, and its fixes. */
@Command(name = "list",
        description = "List a playbook's checks by phase, and its fixes (or the bundled playbooks with --bundled).")
public final class ListCommand extends Subcommand {
    @Mixin
    PlaybookOptions playbookOptions;

    @Mixin
    CommonOptions common;

    @Option(names = "--bundled", description = "List the playbooks that come with tria-ready.")
    boolean bundled;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (bundled) {
            for (String name : Bundled.names()) out.println(name);
            return 0;
        }
        Playbook pb = Loading.playbookToInspect(spec, playbookOptions);
        out.println(pb.title() + " (" + pb.id() + "): " + pb.checks().size() + " checks, " + pb.fixes().size() + " fixes");
        int idWidth = pb.checks().stream().mapToInt(c -> c.id().length()).max().orElse(10);
        for (Phase phase : Phase.values()) {
            List<CheckDef> checks = pb.checks().stream().filter(c -> c.phase() == phase).toList();
            if (checks.isEmpty()) continue;
            out.println();
            out.println(phase.name() + " (" + checks.size() + ")");
            for (CheckDef c : checks) {
                out.println(String.format("  %-" + idWidth + "s  %-10s %s%s%s%s", c.id(), c.type(), c.title(),
                        c.category() == null ? "" : "  [" + c.category() + "]", c.fix() == null ? "" : "  fix: " + c.fix(),
                        c.destructive() ? "  (destructive: only with --destructive)" : ""));
            }
        }
        if (!pb.fixes().isEmpty()) {
            out.println();
            out.println("Fixes (" + pb.fixes().size() + ")");
            for (FixDef f : pb.fixes()) {
                out.println(String.format("  %-" + idWidth + "s  %-8s %s", f.id(), f.isManual() ? "manual" : f.steps().size() + " steps", f.title()));
            }
        }
        return 0;
    }
}

package io.triaready.cli;

import java.util.ArrayList;
import java.util.List;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Durations;
import io.triaready.base.yaml.Suggest;
import io.triaready.core.engine.RunOptions;
import io.triaready.core.expect.Values;
import io.triaready.core.playbook.CheckDef;
import io.triaready.core.playbook.FixDef;
import io.triaready.core.playbook.FixStep;
import io.triaready.core.playbook.Playbook;
import io.triaready.spi.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** What a check does, against what, what it expects, and how to fix it; or what a fix does. */
@Command(name = "explain",
        description = "Explain a check (what it does, against what, what it expects, how to fix it) or a fix.")
public final class ExplainCommand extends Subcommand {
    @Parameters(paramLabel = "ID", description = "A check id or a fix id.")
    String id;

    @Mixin
    PlaybookOptions playbookOptions;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        Secrets secrets = new Secrets();
        Playbook pb = Loading.playbookToInspect(spec, playbookOptions);
        var check = pb.check(id);
        var fix = pb.fix(id);
        if (check.isEmpty() && fix.isEmpty()) {
            List<String> ids = new ArrayList<>();
            pb.checks().forEach(c -> ids.add(c.id()));
            pb.fixes().forEach(f -> ids.add(f.id()));
            throw new UserError("unknown check or fix id '" + id + "' in playbook " + pb.id() + Suggest.didYouMean(id, ids) + " (see 'tria-ready list')");
        }
        if (check.isPresent()) {
            CheckDef c = check.get();
            out.println(c.id() + " — " + c.title());
            if (c.description() != null) out.println("  " + c.description().strip().replace("\n", "\n  "));
            row(out, "phase", c.phase().id() + switch (c.phase()) {
                case P0 -> " (a release is BLOCKED while it does not pass)";
                case P1 -> " (should pass before release)";
                case P2 -> " (soon after release)";
            });
            row(out, "category", (c.category() == null ? "-" : c.category()) + "   weight " + Values.formatNumber(c.weight())
                    + (c.tags().isEmpty() ? "" : "   tags " + String.join(", ", c.tags())));
            row(out, "runs", c.type() + ": " + secrets.mask(c.probe().describe()) + "  (" + (c.probe().scope() == Scope.HOST
                    ? "on every host of the target" : "from this machine") + ")");
            List<String> expects = c.expect().describe();
            row(out, "expects", expects.isEmpty() ? "-" : expects.get(0));
            for (int i = 1; i < expects.size(); i++) row(out, "", expects.get(i));
            row(out, "timeout", c.timeout() == null ? Durations.format(RunOptions.DEFAULT_TIMEOUT) + " (default)" : Durations.format(c.timeout()));
            if (c.retry().count() > 0) row(out, "retries", c.retry().count() + ", first after " + Durations.format(c.retry().delay()) + ", then doubling");
            row(out, "depends on", c.dependsOn().isEmpty() ? "-" : String.join(", ", c.dependsOn()));
            List<String> dependents = pb.checks().stream().filter(x -> x.dependsOn().contains(c.id())).map(CheckDef::id).toList();
            if (!dependents.isEmpty()) row(out, "needed by", String.join(", ", dependents));
            if (c.fix() != null) pb.fix(c.fix()).ifPresent(f -> fixLines(out, f, pb, secrets));
            else row(out, "fix", "- (the playbook has no fix for it)");
            row(out, "defined at", c.location());
        } else {
            FixDef f = fix.get();
            out.println(f.id() + " — " + f.title());
            fixLines(out, f, pb, secrets);
            row(out, "defined at", f.location());
        }
        return 0;
    }

    private static void fixLines(java.io.PrintWriter out, FixDef f, Playbook pb, Secrets secrets) {
        row(out, "fix", f.id() + " — " + f.title() + "   (tria-ready fix " + f.id() + ")");
        if (f.isManual()) {
            row(out, "", "manual: " + f.manual().strip().replace("\n", "\n" + " ".repeat(14)));
        }
        for (FixStep s : f.steps()) row(out, "", secrets.mask(s.describe()));
        List<String> verifies = pb.checksRepairedBy(f).stream().map(CheckDef::id).toList();
        if (!verifies.isEmpty()) row(out, "verified by", String.join(", ", verifies));
    }

    private static void row(java.io.PrintWriter out, String label, String value) {
        out.println(String.format("  %-11s %s", label, value));
    }
}

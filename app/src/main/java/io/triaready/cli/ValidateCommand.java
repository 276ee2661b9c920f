package io.triaready.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.PlaybookException;
import io.triaready.base.yaml.Problem;
import io.triaready.builtin.BuiltIns;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.core.playbook.TargetFit;
import io.triaready.inventory.InventoryLoader;
import io.triaready.spi.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Checks playbooks (and the inventory) without touching any target: every problem with its
 * file:line:column. Secrets are not needed: {@code ${env:...}} is not resolved.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Check playbooks and the inventory for mistakes, without contacting any target.",
                "Without --target, endpoint variables such as ${http.base_url} are accepted as the target's business."})
public final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PLAYBOOK", arity = "0..*", description = "Playbook files, directories or bundled names (default: --playbook).")
    List<String> playbooks = new ArrayList<>();

    @Option(names = "--no-secrets", description = "With --target: leave the target's ${env:...} and ${file:...} unresolved (a CI job without "
            + "the target's secrets): an unset one is a note, not a problem. Without it validate resolves them as audit does and fails where audit would (exit 2).")
    boolean noSecrets;

    @picocli.CommandLine.ParentCommand
    TriaReady root;

    @Option(names = "--strict", description = "Warnings (expectations that cannot fail or do not test what they look like) are problems too: exit 2.")
    boolean strict;

    @Mixin
    PlaybookOptions playbookOptions;

    @Mixin
    CommonOptions common;

    /** "file:line:column: warning: message". */
    static String warning(Problem w) {
        String at = w.line() <= 0 ? w.file() : w.file() + ":" + w.line() + ":" + w.column();
        return at + ": warning: " + w.message();
    }

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        List<Problem> problems = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        List<Problem> notes = new ArrayList<>(); // what audit would refuse for want of a secret: never changes the exit code
        Target target = Target.local();
        Target resolved = null; // the target as audit reads it (secrets resolved), when --target is given and it reads
        boolean targeted = spec.commandLine().getParseResult().hasMatchedOption("--target");
        boolean fit = targeted; // false when the inventory does not read: there is no target to fit
        Path inv = Loading.inventoryPath(playbookOptions);
        if (inv != null) {
            try {
                InventoryLoader.Inventory inventory = InventoryLoader.load(BuiltIns.hostConnectors(), inv, Interpolator.External.PLACEHOLDER, k -> null, new Secrets());
                out.println("ok    " + inv + ": " + inventory.targets().size() + " target" + (inventory.targets().size() == 1 ? "" : "s"));
                if (targeted) {
                    target = Loading.target(playbookOptions, inventory, inv); // the file as just read, not a second time
                    resolved = asAudit(() -> Loading.target(playbookOptions, Interpolator.External.RESOLVE, new Secrets(), env()), problems, notes);
                }
            } catch (PlaybookException e) {
                problems.addAll(e.problems());
                fit = false;
            }
        } else if (spec.commandLine().getParseResult().hasMatchedOption("--target") && !playbookOptions.target.equals("local")) {
            throw new UserError("--target " + playbookOptions.target + ": no inventory found (give --inventory FILE, or create ./targets.yaml)");
        }
        List<String> specs = new ArrayList<>(playbooks);
        if (specs.isEmpty()) specs.add(playbookOptions.playbook != null ? playbookOptions.playbook : Loading.DEFAULT_PLAYBOOK);
        for (String s : specs) {
            try {
                Playbook pb = Loading.playbook(s, PlaybookLoader.Options.forValidate(target, playbookOptions.varMap()));
                warnings.addAll(pb.warnings());
                int w = pb.warnings().size();
                List<Problem> unfit = new ArrayList<>();
                if (fit) {
                    unfit.addAll(TargetFit.problems(pb, target, c -> true));
                    unfit.addAll(TargetFit.fixProblems(pb, target));
                }
                problems.addAll(unfit);
                if (resolved != null && unfit.isEmpty()) {
                    Target t = resolved;
                    asAudit(() -> Loading.playbook(s, PlaybookLoader.Options.forAudit(t, playbookOptions.varMap(), new Secrets(), env())), problems, notes);
                }
                out.println((!unfit.isEmpty() || (w > 0 && strict) ? "fail  " : "ok    ") + pb.source() + ": " + pb.checks().size() + " checks, " + pb.fixes().size() + " fixes"
                        + (w > 0 ? ", " + w + " warning" + (w == 1 ? "" : "s") : ""));
            } catch (PlaybookException e) {
                problems.addAll(e.problems());
            }
        }
        for (Problem p : problems) err.println(p);
        for (Problem w : warnings) err.println(warning(w));
        for (Problem n : notes) err.println(warning(n).replaceFirst(": warning: ", ": note: "));
        if (!problems.isEmpty()) {
            err.println(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " found"
                    + (warnings.isEmpty() ? "" : ", and " + warnings.size() + " warning" + (warnings.size() == 1 ? "" : "s")));
            return ExitCodes.BAD_INPUT;
        }
        if (!warnings.isEmpty()) {
            err.println(warnings.size() + " warning" + (warnings.size() == 1 ? "" : "s")
                    + (strict ? ": refused with --strict" : " (validate --strict refuses them)"));
            if (strict) return ExitCodes.BAD_INPUT;
        }
        return 0;
    }

    private java.util.function.Function<String, String> env() { return root != null ? root.env() : System::getenv; }

    /**
     * Loads as {@code audit} would, secrets resolved: what fails only then (an unset {@code ${env:...}},
     * a missing {@code ${file:...}}) is a problem, as it is for audit; with {@code --no-secrets} a note
     * (which, unlike a warning, {@code --strict} does not refuse), so that a job without the target's
     * secrets can still validate and is told what audit will refuse.
     */
    private <T> T asAudit(java.util.function.Supplier<T> load, List<Problem> problems, List<Problem> notes) {
        try {
            return load.get();
        } catch (PlaybookException e) {
            for (Problem p : e.problems()) {
                if (!noSecrets) problems.add(p);
                else notes.add(new Problem(p.file(), p.line(), p.column(), p.message() + " (audit -t " + playbookOptions.target
                        + " refuses to run without it)"));
            }
            return null;
        }
    }
}

package io.triaready.core.playbook;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.triaready.base.yaml.Problem;
import io.triaready.spi.Need;
import io.triaready.spi.Target;

/**
 * Whether a target has what a playbook's checks need ({@link io.triaready.spi.Probe#needs()}): a sql
 * check on a target without a postgres endpoint, a redis check without redis, an endpoint without a
 * url or with one the check cannot read. Each mismatch is one {@link Problem} at the check's
 * file:line:column, found by {@code validate -t TARGET} and by {@code audit} before anything runs,
 * where it used to be an ERROR of the check at run time.
 */
public final class TargetFit {
    private TargetFit() {}

    /** Every mismatch of the checks that {@code selected} keeps, in playbook order. */
    public static List<Problem> problems(Playbook playbook, Target target, Predicate<CheckDef> selected) {
        List<Problem> out = new ArrayList<>();
        for (CheckDef c : playbook.checks()) {
            if (!selected.test(c)) continue;
            for (Need need : c.probe().needs()) {
                String unmet = need.unmet(target);
                if (unmet != null) out.add(new Problem(need.file(), need.line(), need.column(), "check '" + c.id() + "': " + unmet));
            }
        }
        return out;
    }

    /**
     * Every fix step that reads an endpoint the target lacks (a {@code sql} step on a target without its
     * postgres endpoint, or one without a url), at the step's file:line:column: {@code validate -t}
     * says so before a {@code fix} would stop halfway at that step.
     */
    public static List<Problem> fixProblems(Playbook playbook, Target target) {
        List<Problem> out = new ArrayList<>();
        for (FixDef fix : playbook.fixes()) {
            List<FixStep> steps = new ArrayList<>(fix.steps());
            steps.addAll(fix.rollback());
            for (FixStep step : steps) {
                for (Need need : step.needs()) {
                    String unmet = need.unmet(target);
                    if (unmet != null) out.add(new Problem(need.file(), need.line(), need.column(), "fix '" + fix.id() + "': " + unmet));
                }
            }
        }
        return out;
    }
}

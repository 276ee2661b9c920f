package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fix command as a CI step runs it: no terminal. (Tests run without a console, so the
 * "no terminal" rules are what is exercised; the prompt path needs a person.)
 */
class FixCommandTest {
    @TempDir
    Path dir;

    Path pb;

    @BeforeEach
    void playbook() throws Exception {
        Files.writeString(dir.resolve("unit.service"), "[Service]\n");
        pb = dir.resolve("pb.yaml");
        Files.writeString(pb, """
                playbook: fx
                vars: {dir: '%s'}
                checks:
                  - {id: auto-restart, phase: p0, file: '${dir}/unit.service', expect: {matches: '^Restart=always$'}, fix: auto-restart}
                  - {id: cron, phase: p1, file: '${dir}/cron', fix: cron}
                  - {id: token, phase: p1, file: '${dir}/token', fix: xero}
                fixes:
                  - id: auto-restart
                    steps: [{run: "echo Restart=always >> ${dir}/unit.service"}]
                  - id: cron
                    disruption: high
                    steps: [{run: "touch ${dir}/cron"}]
                  - {id: xero, manual: "Refresh the Xero token in a browser."}
                """.formatted(dir));
    }

    private Cli fix(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "fix";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "-p";
        all[args.length + 2] = pb.toString();
        all[args.length + 3] = "--lock-dir";
        all[args.length + 4] = dir.resolve("lock").toString();
        return Cli.run(all);
    }

    @Test
    void withoutATerminalAndWithoutYesItRefusesAndChangesNothing() throws Exception {
        Cli r = fix("auto-restart");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("tria-ready: fix auto-restart: no terminal to ask for confirmation; re-run with --yes to apply it (or --dry-run to see the plan)");
        assertThat(Files.readString(dir.resolve("unit.service"))).isEqualTo("[Service]\n");
    }

    @Test
    void dryRunShowsThePlanAndLeavesTheCanary() throws Exception {
        Cli r = fix("auto-restart", "--dry-run");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("steps       1. run: echo Restart=always >> " + dir + "/unit.service").contains("DRY RUN");
        assertThat(Files.readString(dir.resolve("unit.service"))).isEqualTo("[Service]\n");
    }

    @Test
    void yesAppliesAndVerifies() throws Exception {
        Cli r = fix("auto-restart", "--yes");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("[local] exit 0").contains("FIXED").contains("auto-restart  FAIL → PASS");
        // a check id finds its fix too; now there is nothing to fix
        Cli again = fix("auto-restart", "--yes");
        assertThat(again.out()).contains("NOTHING TO FIX");
    }

    @Test
    void aFixIsRecordedAndTheNextAuditNamesIt() throws Exception {
        Path store = dir.resolve("store");
        assertThat(Cli.run("audit", "-p", pb.toString(), "--store", store.toString(), "--phase", "p0").exit()).isEqualTo(1);
        assertThat(fix("auto-restart", "--yes", "--store", store.toString()).exit()).isZero();
        try (var files = Files.list(store.resolve("fixes"))) {
            Path record = files.findFirst().orElseThrow();
            assertThat(Files.readString(record)).contains("\"schema\" : \"tria-ready/fix/v1\"").contains("\"status\" : \"FIXED\"")
                    .contains("\"auto-restart\" : \"fail\"").contains("\"auto-restart\" : \"pass\"");
        }
        Cli audit = Cli.run("audit", "-p", pb.toString(), "--store", store.toString(), "--phase", "p0");
        assertThat(audit.exit()).isZero();
        assertThat(audit.out()).contains("Fixes since the previous audit").containsPattern("auto-restart  FIXED  by \\S+@\\S+  at ");
        // an audit after that one has no new fix to mention
        assertThat(Cli.run("audit", "-p", pb.toString(), "--store", store.toString(), "--phase", "p0").out()).doesNotContain("Fixes since");
    }

    @Test
    void highDisruptionNeedsExplicitPermissionWithoutATerminal() throws Exception {
        assertThat(fix("cron", "--yes").exit()).isEqualTo(2);
        assertThat(dir.resolve("cron")).doesNotExist();
        assertThat(fix("cron", "--yes", "--allow-disruption").exit()).isZero();
        assertThat(dir.resolve("cron")).exists();
    }

    @Test
    void manualFixPrintsInstructionsAndChangesNothing() throws Exception {
        Cli r = fix("xero", "--yes");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("manual      Refresh the Xero token in a browser.").contains("MANUAL");
        assertThat(dir.resolve("token")).doesNotExist();
    }

    @Test
    void failedOffersTheFixesOfFailedChecks() throws Exception {
        Cli r = fix("--failed", "--phase", "p0", "--yes");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("1 check(s) not passing; 1 fix(es) to offer").contains("auto-restart  FAIL → PASS");
        assertThat(dir.resolve("cron")).doesNotExist();
    }

    @Test
    void unknownFixIsOneLine() {
        Cli r = fix("auto-restat", "--yes");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("tria-ready: unknown fix 'auto-restat' in playbook fx (did you mean 'auto-restart'?) (fixes: auto-restart, cron, xero)");
    }
}

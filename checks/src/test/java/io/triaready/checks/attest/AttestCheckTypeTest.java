package io.triaready.checks.attest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.builtin.BuiltIns;
import io.triaready.core.engine.Engine;
import io.triaready.core.engine.RunListener;
import io.triaready.core.engine.RunOptions;
import io.triaready.core.engine.RunResult;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.Outcome;
import io.triaready.spi.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttestCheckTypeTest {
    @TempDir
    Path dir;

    private RunResult audit(String attestations, String targetName) throws Exception {
        Path file = dir.resolve("attestations.yaml");
        if (attestations != null) Files.writeString(file, attestations);
        Target target = new Target(targetName, List.of(), Map.of(), Map.of(Attestations.TARGET_VAR, file.toString()));
        Playbook pb = new PlaybookLoader(BuiltIns.checkTypes()).load(new StringReader("""
                playbook: p
                checks:
                  - {id: team-trained, phase: p2, attest: "The support team is trained on the runbook"}
                  - {id: runbook-reviewed, phase: p2, attest: {statement: "Runbook reviewed", max_age: 30d}}
                """), "p.yaml", new PlaybookLoader.Options(target, Map.of(), Interpolator.External.RESOLVE, k -> null, new Secrets()));
        return new Engine(BuiltIns.hostConnectors()).run(pb, target, RunOptions.defaults(), new Secrets(), RunListener.NONE, "t");
    }

    private static CheckResult check(RunResult r, String id) {
        return r.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void passesOnlyWhenSignedOffForThisTargetAndNotExpired() throws Exception {
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        String file = """
                attestations:
                  - {check: team-trained, target: prod, by: alice@example.com, at: %s, expires: %s}
                  - {check: runbook-reviewed, by: bob, at: %s}
                """.formatted(today.minusDays(1), today.plusDays(90), today.minusDays(45));
        RunResult prod = audit(file, "prod");
        assertThat(check(prod, "team-trained").outcome()).isEqualTo(Outcome.PASS);
        assertThat(check(prod, "team-trained").hosts().get(0).notes().get(0)).startsWith("signed off by alice@example.com on " + today.minusDays(1));
        assertThat(check(prod, "runbook-reviewed").outcome()).as("older than max_age").isEqualTo(Outcome.FAIL);
        RunResult staging = audit(file, "staging");
        assertThat(check(staging, "team-trained").outcome()).as("signed off for prod only").isEqualTo(Outcome.FAIL);
        assertThat(check(staging, "team-trained").hosts().get(0).notes().get(0)).contains("nobody signed off 'team-trained' for target staging");
    }

    @Test
    void expiredSignOffFails() throws Exception {
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        RunResult r = audit("attestations:\n  - {check: team-trained, by: a, at: %s, expires: %s}\n".formatted(today.minusDays(100), today.minusDays(1)), "prod");
        assertThat(check(r, "team-trained").outcome()).isEqualTo(Outcome.FAIL);
        assertThat(check(r, "team-trained").hosts().get(0).notes().get(0)).endsWith("expired on " + today.minusDays(1));
    }

    @Test
    void noFileMeansNobodySignedOffAndAMalformedFileIsAnErrorWithPosition() throws Exception {
        assertThat(check(audit(null, "prod"), "team-trained").outcome()).isEqualTo(Outcome.FAIL);
        RunResult bad = audit("attestations:\n  - {check: team-trained, by: a, at: yesterday}\n", "prod");
        assertThat(check(bad, "team-trained").outcome()).isEqualTo(Outcome.ERROR);
        assertThat(check(bad, "team-trained").message()).endsWith("attestations.yaml:2:38: 'at' must be a date like 2026-11-20");
    }
}

package io.triaready.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link ArchitectureTest} can fail: the same rules, rooted at the test-only package
 * {@code io.triaready.archfixture} (a miniature of the layers with one planted violation per rule),
 * report exactly the planted violations, and nothing about the allowed edges.
 */
class ArchitectureRulesCanFailTest {
    static final String ROOT = "io.triaready.archfixture";
    static JavaClasses fixture;

    @BeforeAll
    static void importFixture() {
        fixture = new ClassFileImporter().importPackages(ROOT);
        assertThat(fixture.size()).as("fixture classes").isGreaterThanOrEqualTo(13);
    }

    private static List<String> violations(ArchRule rule) {
        EvaluationResult r = rule.evaluate(fixture);
        assertThat(r.hasViolation()).as(rule.getDescription()).isTrue();
        return r.getFailureReport().getDetails();
    }

    @Test
    void aPackageCycleIsReported() {
        assertThat(String.join("\n", violations(ArchitectureRules.noPackageCycles(ROOT))))
                .contains("Cycle detected").contains("base.Text").contains("spi.Probe");
    }

    @Test
    void everyUpwardEdgeAndAStrayPackageBreakTheLayers() {
        String report = String.join("\n", violations(ArchitectureRules.layers(ROOT)));
        assertThat(report)
                .contains("base.Text") // base -> spi
                .contains("transport.wire.Wire") // transport -> checks
                .contains("core.engine.Engine") // core -> builtin
                .contains("fix.Fix") // fix -> report (app)
                .contains("stray.Stray") // in no layer
                .contains("inventory.Inventory"); // inventory -> builtin
    }

    @Test
    void baseImportingAnythingOfOursIsReported() {
        assertThat(violations(ArchitectureRules.baseDependsOnNothingOfOurs(ROOT)))
                .anySatisfy(v -> assertThat(v).contains("base.Text").contains("spi.Probe"));
    }

    @Test
    void spiOnBaseIsAllowed() {
        assertThat(ArchitectureRules.spiOnlyOnBase(ROOT).evaluate(fixture).hasViolation()).isFalse();
    }

    @Test
    void aTransportImportingACheckOrAnotherTransportIsReported() {
        List<String> v = violations(ArchitectureRules.transportsOnlyOnBaseSpiAndSharedTransports(ROOT));
        assertThat(v).anySatisfy(s -> assertThat(s).contains("transport.wire.Wire").contains("checks.alpha.Alpha"));
        assertThat(v).anySatisfy(s -> assertThat(s).contains("transport.wire.Wire").contains("transport.ssh.Ssh"));
        assertThat(v).as("ssh -> pool (shared) and ssh -> spi are allowed").noneSatisfy(s -> assertThat(s).startsWith("Field <" + ROOT + ".transport.ssh"));
        assertThat(v).hasSize(2);
    }

    @Test
    void aCheckTypeImportingAnotherIsReported() {
        String report = String.join("\n", violations(ArchitectureRules.checkTypesDoNotImportEachOther(ROOT)));
        assertThat(report).contains("checks.alpha.Alpha").contains("checks.beta.Beta");
        assertThat(report).as("the shared part importing a check type").contains("Slice support depends on Slice alpha");
        assertThat(report).as("a check type using the shared part is allowed").doesNotContain("Slice gamma");
    }

    @Test
    void theChecksModuleImportingTheAppIsReported() {
        assertThat(violations(ArchitectureRules.checksModuleDoesNotImportTheApp(ROOT)))
                .singleElement().satisfies(v -> assertThat(v).contains("fix.Fix").contains("report.Report"));
    }

    @Test
    void importingBuiltinFromBelowIsReported() {
        List<String> v = violations(ArchitectureRules.onlyBuiltinAndAppImportBuiltin(ROOT));
        assertThat(v).anySatisfy(s -> assertThat(s).contains("core.engine.Engine"));
        assertThat(v).anySatisfy(s -> assertThat(s).contains("inventory.Inventory"));
        assertThat(v).allSatisfy(s -> assertThat(s).containsAnyOf("core.engine.Engine", "inventory.Inventory"));
    }

    @Test
    void allRulesAreExercisedHere() {
        // a rule added to ArchitectureRules.all without a case here shows up as a count mismatch
        assertThat(ArchitectureRules.all(ROOT)).hasSize(8);
    }
}

package io.triaready.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md, checked on the compiled main classes of both modules (checks and
 * app; this module's test classpath has both). Each rule is one test, so a failure names the rule and
 * lists every offending dependency with its source line.
 */
class ArchitectureTest {
    static final String ROOT = "io.triaready";
    static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = ArchitectureRules.mainClasses();
        // both modules are there, and nothing from the tests: a wrong import would make every rule pass vacuously
        assertThat(classes.containPackage(ROOT + ".builtin")).as("checks module imported").isTrue();
        assertThat(classes.containPackage(ROOT + ".cli")).as("app module imported").isTrue();
        assertThat(classes.stream().filter(c -> c.getSimpleName().endsWith("Test"))).as("no test classes").isEmpty();
        assertThat(classes.containPackage(ROOT + ".archfixture")).as("not the planted violations").isFalse();
    }

    @Test
    void noPackageCycles() { ArchitectureRules.noPackageCycles(ROOT).check(classes); }

    @Test
    void layersBottomToTop() { ArchitectureRules.layers(ROOT).check(classes); }

    @Test
    void baseDependsOnNothingOfOurs() { ArchitectureRules.baseDependsOnNothingOfOurs(ROOT).check(classes); }

    @Test
    void spiDependsOnlyOnBase() { ArchitectureRules.spiOnlyOnBase(ROOT).check(classes); }

    @Test
    void transportsDependOnlyOnBaseSpiAndSharedTransports() { ArchitectureRules.transportsOnlyOnBaseSpiAndSharedTransports(ROOT).check(classes); }

    @Test
    void checkTypesDoNotImportEachOther() { ArchitectureRules.checkTypesDoNotImportEachOther(ROOT).check(classes); }

    @Test
    void checksModuleDoesNotImportTheApp() { ArchitectureRules.checksModuleDoesNotImportTheApp(ROOT).check(classes); }

    @Test
    void onlyBuiltinAndTheAppImportBuiltin() { ArchitectureRules.onlyBuiltinAndAppImportBuiltin(ROOT).check(classes); }
}

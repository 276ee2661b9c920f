package io.triaready.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

/**
 * The layer rules of docs/architecture.md, written by package pattern under a root package so that the
 * same rules run over the real code ({@code io.triaready}, {@link ArchitectureTest}) and over a
 * deliberately broken fixture ({@code io.triaready.archfixture}, {@link ArchitectureRulesCanFailTest}).
 *
 * <p>Layers, bottom to top: {@code base.*} &lt; {@code spi} &lt; {@code transport.*} &lt; {@code core.*}
 * &lt; {@code checks.*} &lt; {@code fix} &lt; {@code inventory} &lt; {@code builtin} &lt; the app
 * ({@code cli}, {@code report}, {@code history}, {@code progress}). A layer uses only layers below it.
 */
final class ArchitectureRules {
    private ArchitectureRules() {}

    /** Layer name and its packages (relative to the root), bottom to top. */
    record Layer(String name, String... packages) {}

    static final List<Layer> LAYERS = List.of(
            new Layer("base", "base"),
            new Layer("spi", "spi"),
            new Layer("transport", "transport"),
            new Layer("core", "core"),
            new Layer("checks", "checks"),
            new Layer("fix", "fix"),
            new Layer("inventory", "inventory"),
            new Layer("builtin", "builtin"),
            new Layer("app", "cli", "report", "history", "progress"));

    /** The app module's packages: nothing in the checks module may import them. */
    static final List<String> APP = List.of("cli", "report", "history", "progress");

    /** Transport packages every transport may use (connection pooling, SSH tunnels, this machine). */
    static final Set<String> SHARED_TRANSPORTS = Set.of("pool", "tunnel", "local");

    /** Main classes only: no test classes of app (target/test-classes) nor checks' test-jar. */
    static final ImportOption MAIN_ONLY = location -> new ImportOption.DoNotIncludeTests().includes(location)
            && !location.matches(java.util.regex.Pattern.compile(".*-tests\\.jar.*"));

    private static JavaClasses mainClasses;

    /** The main classes of both modules under {@code io.triaready}, imported once per test JVM (~10 s). */
    static synchronized JavaClasses mainClasses() {
        if (mainClasses == null) mainClasses = new ClassFileImporter().withImportOption(MAIN_ONLY).importPackages("io.triaready");
        return mainClasses;
    }

    static List<ArchRule> all(String root) {
        return List.of(noPackageCycles(root), layers(root), baseDependsOnNothingOfOurs(root), spiOnlyOnBase(root),
                transportsOnlyOnBaseSpiAndSharedTransports(root), checkTypesDoNotImportEachOther(root),
                checksModuleDoesNotImportTheApp(root), onlyBuiltinAndAppImportBuiltin(root));
    }

    /** Every package is a slice; the package graph has no cycle. */
    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles()
                .because("a cycle makes two packages one; docs/architecture.md");
    }

    /** Each layer may only be used by the layers above it; every main class belongs to a layer. */
    static ArchRule layers(String root) {
        LayeredArchitecture arch = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture();
        for (Layer l : LAYERS) {
            arch = arch.layer(l.name()).definedBy(Arrays.stream(l.packages()).map(p -> root + "." + p + "..").toArray(String[]::new));
        }
        for (int i = 0; i < LAYERS.size(); i++) {
            if (i == LAYERS.size() - 1) {
                arch = arch.whereLayer(LAYERS.get(i).name()).mayNotBeAccessedByAnyLayer();
            } else {
                String[] above = LAYERS.subList(i + 1, LAYERS.size()).stream().map(Layer::name).toArray(String[]::new);
                arch = arch.whereLayer(LAYERS.get(i).name()).mayOnlyBeAccessedByLayers(above);
            }
        }
        return arch.because("docs/architecture.md, \"Layers\"");
    }

    static ArchRule baseDependsOnNothingOfOurs(String root) {
        return classes().that().resideInAPackage(root + ".base..")
                .should(dependOnlyOn(root, "base.*", (from, to) -> under(to, root + ".base")));
    }

    static ArchRule spiOnlyOnBase(String root) {
        return classes().that().resideInAPackage(root + ".spi..")
                .should(dependOnlyOn(root, "base.* and spi", (from, to) -> under(to, root + ".base") || under(to, root + ".spi")));
    }

    /** A transport uses base, spi, its own package tree and the shared transports: never a check, core, or another transport. */
    static ArchRule transportsOnlyOnBaseSpiAndSharedTransports(String root) {
        String t = root + ".transport";
        return classes().that().resideInAPackage(t + "..")
                .should(dependOnlyOn(root, "base.*, spi, its own transport and transport." + String.join("/", new java.util.TreeSet<>(SHARED_TRANSPORTS)),
                        (from, to) -> under(to, root + ".base") || under(to, root + ".spi")
                                || under(to, t) && (transportOf(to, t).equals(transportOf(from, t)) || SHARED_TRANSPORTS.contains(transportOf(to, t)))));
    }

    /** One package tree per check type under checks; none imports another. */
    static ArchRule checkTypesDoNotImportEachOther(String root) {
        // checks.support is what check types share (their base class, probe scopes, endpoint login): any
        // check type may use it; it is a slice too, so support importing a check type is still reported
        return slices().matching(root + ".checks.(*)..").should().notDependOnEachOther()
                .ignoreDependency(com.tngtech.archunit.base.DescribedPredicate.alwaysTrue(), resideInAPackage(root + ".checks.support.."))
                .because("a check type is one package plus one line in BuiltIns; what check types share goes to checks.support, core, transport or base");
    }

    static ArchRule checksModuleDoesNotImportTheApp(String root) {
        String[] app = APP.stream().map(p -> root + "." + p + "..").toArray(String[]::new);
        return noClasses().that().resideOutsideOfPackages(app).should().dependOnClassesThat().resideInAnyPackage(app)
                .because("the checks module must build and run without the command line");
    }

    static ArchRule onlyBuiltinAndAppImportBuiltin(String root) {
        List<String> allowed = new ArrayList<>(List.of(root + ".builtin.."));
        APP.forEach(p -> allowed.add(root + "." + p + ".."));
        return noClasses().that().resideOutsideOfPackages(allowed.toArray(String[]::new))
                .should().dependOnClassesThat().resideInAPackage(root + ".builtin..")
                .because("nothing below the command line knows which check types and transports exist");
    }

    /** {@code pkg} is {@code tree} or inside it. */
    static boolean under(String pkg, String tree) {
        return pkg.equals(tree) || pkg.startsWith(tree + ".");
    }

    /** The transport a package belongs to: {@code ssh} for {@code <t>.ssh} and {@code <t>.ssh.mina}. */
    private static String transportOf(String pkg, String t) {
        if (!under(pkg, t) || pkg.equals(t)) return "";
        String rest = pkg.substring(t.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /** Every dependency on a class of ours (under {@code root}) goes to a package {@code allowed} accepts. */
    private static ArchCondition<JavaClass> dependOnlyOn(String root, String what, java.util.function.BiPredicate<String, String> allowed) {
        return new ArchCondition<>("depend on nothing of ours but " + what) {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                String from = c.getPackageName();
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                    String to = d.getTargetClass().getBaseComponentType().getPackageName();
                    if (!under(to, root) || to.equals(from)) continue;
                    if (!allowed.test(from, to)) events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                }
            }
        };
    }
}

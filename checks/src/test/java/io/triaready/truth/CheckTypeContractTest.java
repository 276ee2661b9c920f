package io.triaready.truth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.builtin.BuiltIns;
import io.triaready.spi.CheckType;
import io.triaready.spi.CheckTypes;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docs and code stay together: every check type registered in {@link BuiltIns#checkTypes()} has its
 * reference page, its row in the playbook reference, healthy and broken truth-matrix cases and a loader
 * round trip ({@link CheckTypeContract}). A type added without them fails the build here.
 */
class CheckTypeContractTest {
    static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();

    @TempDir
    Path dir;

    /** The real case list, with addresses that are never contacted (loading connects to nothing). */
    private List<TruthCase> truthCases() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "");
        Path env = Files.writeString(dir.resolve("app.env"), "");
        return TruthTargets.cases(new TruthTargets.Addresses("http://127.0.0.1:1", 1, 2, ca, 3, 4, 5, "http://127.0.0.1:6",
                "redis://127.0.0.1:7", "password", env, dir, dir.resolve("cron-root"), 8));
    }

    @Test
    void everyRegisteredCheckTypeHasPageRowTruthCasesAndALoaderRoundTrip() throws Exception {
        CheckTypes types = BuiltIns.checkTypes();
        assertThat(types.names()).as("registered check types").hasSizeGreaterThanOrEqualTo(17);
        assertThat(CheckTypeContract.violations(types, REPO, truthCases())).isEmpty();
    }

    @Test
    void aTypeAddedWithoutItsDocsAndCasesIsReported() throws Exception {
        List<CheckType> all = new ArrayList<>(BuiltIns.checkTypes().all());
        all.add(new FakeCheckType());
        List<String> v = CheckTypeContract.violations(new CheckTypes(all), REPO, truthCases());
        assertThat(v).allSatisfy(s -> assertThat(s).startsWith("tria_fake: "));
        assertThat(v).anySatisfy(s -> assertThat(s).contains("no page docs/reference/tria_fake.md"))
                .anySatisfy(s -> assertThat(s).contains("no row").contains("docs/playbook-reference.md"))
                .anySatisfy(s -> assertThat(s).contains("no healthy case"))
                .anySatisfy(s -> assertThat(s).contains("no broken case"))
                .anySatisfy(s -> assertThat(s).contains("no truth case written as a mapping"))
                .hasSize(5);
    }

    @Test
    void aTypeThatIgnoresUnknownKeysIsReported() throws Exception {
        // a "command" that drops what it does not know: the contract's round trip catches it
        List<CheckType> all = new ArrayList<>();
        for (CheckType t : BuiltIns.checkTypes().all()) all.add(t.name().equals("command") ? new Lenient(t) : t);
        assertThat(CheckTypeContract.violations(new CheckTypes(all), REPO, truthCases()))
                .singleElement().satisfies(s -> assertThat(s).startsWith("command: an unknown key in command-stdin loads without a problem"));
    }

    @Test
    void theTypeTableIsTheSectionUnderItsHeading() {
        assertThat(CheckTypeContract.typeTable("# x\n### Check types\n| `a` | r | [a](reference/a.md) |\n## Next\n| `b` |"))
                .contains("`a`").doesNotContain("`b`");
    }

    /** Registered, but with nothing of what the contract asks. */
    private static final class FakeCheckType implements CheckType {
        @Override
        public String name() { return "tria_fake"; }

        @Override
        public FactSchema facts() { return FactSchema.of("ok"); }

        @Override
        public Probe parse(YNode spec, ParseContext ctx) { return null; }
    }

    /** A real type whose parser is handed its spec without the contract's unknown key. */
    private record Lenient(CheckType real) implements CheckType {
        @Override
        public String name() { return real.name(); }

        @Override
        public FactSchema facts() { return real.facts(); }

        @Override
        public Probe parse(YNode spec, ParseContext ctx) {
            boolean unknown = spec.isMap() && spec.map().containsKey(CheckTypeContract.UNKNOWN_KEY);
            return real.parse(unknown ? YNode.parse("{run: cat, stdin: hello}", spec.file()) : spec, ctx);
        }
    }
}

package io.triaready.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.PlaybookException;
import io.triaready.base.yaml.YNode;
import io.triaready.builtin.BuiltIns;
import io.triaready.core.expect.JsonPath;
import io.triaready.core.expr.EvaluationException;
import io.triaready.core.expr.Expression;
import io.triaready.core.expr.ExpressionException;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.inventory.InventoryLoader;
import io.triaready.spi.Target;
import io.triaready.transport.http.Exposition;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing (Jazzer) of everything that reads what users and targets write: playbooks,
 * inventories, expressions, JSON paths, the metrics exposition format. The property is the one users
 * are promised: bad input is a mistake with a position ({@link PlaybookException}) or the parser's
 * own checked error, never another exception, an OutOfMemoryError or a hang. In {@code mvn verify}
 * each target replays its committed corpus (src/test/resources/io/triaready/fuzz/ParsersFuzzTestInputs/);
 * {@code bench/fuzz.sh} fuzzes for as long as asked (docs/fuzzing.md).
 */
class ParsersFuzzTest {
    private static final PlaybookLoader LOADER = new PlaybookLoader(BuiltIns.checkTypes());
    /**
     * An input that takes longer is a finding (a hang, in docs/fuzzing.md's words): 5 s while fuzzing
     * (bench/fuzz.sh), a generous 30 s in {@code mvn verify} on a loaded build machine.
     */
    private static long slowestMs;
    private static long timedCalls;
    private static final long SLOW_MS = System.getenv("JAZZER_FUZZ") != null ? 5_000 : 30_000;

    private static void timed(String what, Runnable parse) {
        long start = System.nanoTime();
        parse.run();
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (ms > SLOW_MS) throw new AssertionError(what + " took " + ms + " ms (over " + SLOW_MS + " ms)");
        if (++timedCalls > 50 && ms > slowestMs) { // the first calls load and instrument classes
            slowestMs = ms;
            if (System.getenv("JAZZER_FUZZ") != null) System.out.println("fuzz-slowest-ms: " + ms); // bench/fuzz.sh reports the last
        }
    }

    @FuzzTest(maxDuration = "20s")
    void playbook(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        timed("playbook", () -> {
            try {
                LOADER.load(new StringReader(text), "fuzz.yaml", PlaybookLoader.Options.forValidate(Target.local(), Map.of()));
            } catch (PlaybookException expected) {
                // a mistake, reported with its position: what a user must get
            }
        });
    }

    @FuzzTest(maxDuration = "10s")
    void inventory(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        timed("inventory", () -> {
            try {
                InventoryLoader.parse(io.triaready.builtin.BuiltIns.hostConnectors(), YNode.parse(text, "targets.yaml"), Interpolator.External.PLACEHOLDER, k -> null, new Secrets());
            } catch (PlaybookException expected) {
                // a mistake with its position
            }
        });
    }

    @FuzzTest(maxDuration = "10s")
    void expression(FuzzedDataProvider data) {
        double a = data.consumeDouble();
        double b = data.consumeDouble();
        String text = data.consumeRemainingAsString();
        timed("expression", () -> {
            Expression e;
            try {
                e = Expression.parse(text);
            } catch (ExpressionException expected) {
                return;
            }
            try {
                e.evaluate(name -> name.length() % 2 == 0 ? a : b);
            } catch (EvaluationException expected) {
                // division by zero, an unknown name: the check's ERROR
            }
        });
    }

    @FuzzTest(maxDuration = "10s")
    void jsonPath(FuzzedDataProvider data) {
        String path = data.consumeString(64);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(data.consumeString(8), List.of(data.consumeString(8), Map.of(data.consumeString(8), data.consumeLong())));
        doc.put("items", List.of(Map.of("name", data.consumeString(8)), 1.5, true));
        timed("jsonPath", () -> {
            JsonPath p;
            try {
                p = JsonPath.parse(path);
            } catch (IllegalArgumentException expected) {
                return;
            }
            p.read(doc);
        });
    }

    @FuzzTest(maxDuration = "10s")
    void exposition(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        timed("exposition", () -> {
            try {
                Exposition.parse(text);
            } catch (Exposition.ParseException expected) {
                // not the exposition format: the check's ERROR, with the line
            }
        });
    }

    /** Found by the inventory target: an alias inside its own collection overflowed the stack. */
    @Test
    void aliasInsideItsOwnCollectionIsAMistakeWithAPosition() {
        for (String yaml : List.of("a: &x [*x]\n", "a: &x {b: [1, *x, *x]}\n", "- &x\n  - a: *x\n")) {
            assertThatThrownBy(() -> YNode.parse(yaml, "t.yaml")).as(yaml).isInstanceOfSatisfying(PlaybookException.class,
                    e -> assertThat(e.problems()).anySatisfy(p -> {
                        assertThat(p.message()).contains("alias refers to a collection that contains it");
                        assertThat(p.line()).isPositive();
                    }));
        }
        // a shared (not recursive) alias is fine
        assertThat(YNode.parse("a: &x [1]\nb: [*x, *x]\n", "t.yaml").kind()).isEqualTo(YNode.Kind.MAP);
    }
}

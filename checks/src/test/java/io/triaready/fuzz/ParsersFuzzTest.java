package io.triaready.fuzz;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.triaready.check.CheckTypes;
import io.triaready.expect.JsonPath;
import io.triaready.expr.EvaluationException;
import io.triaready.expr.Expression;
import io.triaready.expr.ExpressionException;
import io.triaready.metrics.Exposition;
import io.triaready.playbook.Interpolator;
import io.triaready.playbook.PlaybookException;
import io.triaready.playbook.PlaybookLoader;
import io.triaready.playbook.YNode;
import io.triaready.secret.Secrets;
import io.triaready.target.InventoryLoader;
import io.triaready.target.Target;

/**
 * Coverage-guided fuzzing (Jazzer) of everything that reads what users and targets write: playbooks,
 * inventories, expressions, JSON paths, the metrics exposition format. The property is the one users
 * are promised: bad input is a mistake with a position ({@link PlaybookException}) or the parser's
 * own checked error, never another exception, an OutOfMemoryError or a hang. In {@code mvn verify}
 * each target replays its committed corpus (src/test/resources/io/triaready/fuzz/ParsersFuzzTestInputs/);
 * {@code bench/fuzz.sh} fuzzes for as long as asked (docs/fuzzing.md).
 */
class ParsersFuzzTest {
    private static final PlaybookLoader LOADER = new PlaybookLoader(CheckTypes.builtins());

    @FuzzTest(maxDuration = "20s")
    void playbook(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            LOADER.load(new StringReader(text), "fuzz.yaml", PlaybookLoader.Options.forValidate(Target.local(), Map.of()));
        } catch (PlaybookException expected) {
            // a mistake, reported with its position: what a user must get
        }
    }

    @FuzzTest(maxDuration = "10s")
    void inventory(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            InventoryLoader.parse(YNode.parse(text, "targets.yaml"), Interpolator.External.PLACEHOLDER, k -> null, new Secrets());
        } catch (PlaybookException expected) {
            // a mistake with its position
        }
    }

    @FuzzTest(maxDuration = "10s")
    void expression(FuzzedDataProvider data) {
        double a = data.consumeDouble();
        double b = data.consumeDouble();
        String text = data.consumeRemainingAsString();
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
    }

    @FuzzTest(maxDuration = "10s")
    void jsonPath(FuzzedDataProvider data) {
        String path = data.consumeString(64);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(data.consumeString(8), List.of(data.consumeString(8), Map.of(data.consumeString(8), data.consumeLong())));
        doc.put("items", List.of(Map.of("name", data.consumeString(8)), 1.5, true));
        JsonPath p;
        try {
            p = JsonPath.parse(path);
        } catch (IllegalArgumentException expected) {
            return;
        }
        p.read(doc);
    }

    @FuzzTest(maxDuration = "10s")
    void exposition(FuzzedDataProvider data) {
        try {
            Exposition.parse(data.consumeRemainingAsString());
        } catch (Exposition.ParseException expected) {
            // not the exposition format: the check's ERROR, with the line
        }
    }
}

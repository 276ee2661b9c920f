package io.triaready.core.expect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Facts;
import org.junit.jupiter.api.Test;

class MatchersTest {
    private static final FactSchema SCHEMA = FactSchema.of("body", "status", "body", "json", "headers", "items");

    private static List<String> failures(String expectYaml, Facts facts) throws Exception {
        ParseContext ctx = ParseContext.plain();
        Expectation e = ExpectationParser.parse(YNode.parse(expectYaml, "e.yaml"), SCHEMA, "test", ctx);
        assertThat(ctx.problems().sorted()).isEmpty();
        return e.evaluate(facts);
    }

    private static Facts facts() {
        return Facts.builder()
                .put("status", 200L)
                .put("body", "{\"chromadb\": \"connected\", \"hit_rate\": 0.42}")
                .put("json", Map.of("chromadb", "connected", "hit_rate", 0.42, "list", List.of(1L, 5L, 9L), "nested", Map.of("n", "3")))
                .put("headers", Map.of("content-type", "application/json; charset=utf-8"))
                .put("items", List.of("a", "bb", "ccc"))
                .build();
    }

    @Test
    void everyOperatorPassesAndFailsAsDocumented() throws Exception {
        assertThat(failures("status: 200", facts())).isEmpty();
        assertThat(failures("status: \"200\"", facts())).isEmpty();
        assertThat(failures("status: 404", facts())).containsExactly("status: expected 404, got 200");
        assertThat(failures("status: {not: 500}", facts())).isEmpty();
        assertThat(failures("status: {between: [200, 299]}", facts())).isEmpty();
        assertThat(failures("status: {gte: 300}", facts())).containsExactly("status: expected >= 300, got 200");
        assertThat(failures("status: {gt: 100, lt: 300}", facts())).isEmpty();
        assertThat(failures("status: {one_of: [200, 204]}", facts())).isEmpty();
        assertThat(failures("contains: connected", facts())).isEmpty();
        assertThat(failures("not_contains: trouble", facts())).isEmpty();
        assertThat(failures("body: {contains: [connected, nope]}", facts())).containsExactly(
                "body: expected contains \"connected\" and contains \"nope\", got \"{\\\"chromadb\\\": \\\"connected\\\", \\\"hit_rate\\\": 0.42}\" (fails contains \"nope\")");
        assertThat(failures("matches: '\"hit_rate\": 0\\.\\d+'", facts())).isEmpty();
        assertThat(failures("json: {\"$.chromadb\": connected, \"$.hit_rate\": {gte: 0.3}}", facts())).isEmpty();
        assertThat(failures("json: {\"$.chromadb\": not_initialized}", facts()))
                .containsExactly("json $.chromadb: expected \"not_initialized\", got \"connected\"");
        assertThat(failures("json: {\"$.missing\": {exists: false}, \"$.chromadb\": {exists: true}}", facts())).isEmpty();
        assertThat(failures("json: {\"$.missing\": 1}", facts())).containsExactly("json $.missing: expected 1, got nothing");
        assertThat(failures("json: {\"$.list\": {length: 3, all: {lt: 10}, any: {equals: 5}}}", facts())).isEmpty();
        assertThat(failures("json: {\"$.list[*]\": {all: {lt: 6}}}", facts())).containsExactly(
                "json $.list[*]: expected all < 6, got [1, 5, 9] (first failing element 9)");
        assertThat(failures("json: {\"$.list[-1]\": 9, \"$.nested.n\": {gt: 2}}", facts())).isEmpty();
        assertThat(failures("headers: {Content-Type: {matches: '^application/json'}}", facts())).isEmpty();
        assertThat(failures("items: {count: {gte: 3}, contains: bb}", facts())).isEmpty();
        assertThat(failures("items: {length: 2}", facts())).containsExactly("items: expected length 2, got [\"a\", \"bb\", \"ccc\"] (length is 3)");
    }

    @Test
    void negativeMatchersNeverPassOnNothing() throws Exception {
        assertThat(failures("json: {\"$.missing\": {not_contains: x}}", facts()))
                .containsExactly("json $.missing: expected not contains \"x\", got nothing (nothing to look at: use exists: false to expect absence)");
        assertThat(failures("json: {\"$.missing\": {exists: false}}", facts())).isEmpty();
        assertThat(failures("json: {\"$.chromadb\": {not: down}}", facts())).isEmpty();
    }

    @Test
    void numbersComparedWithTextSayWhy() throws Exception {
        Facts f = Facts.builder().put("body", "n/a").build();
        assertThat(failures("lt: 5", f)).containsExactly("body: expected < 5, got \"n/a\" (not a number)");
    }

    @Test
    void modesCompareHoweverYamlReadThem() {
        FileMode m = new FileMode(0644);
        assertThat(Values.looselyEqual(420L, m)).isTrue();      // mode: 0644 (YAML 1.1 octal)
        assertThat(Values.looselyEqual("0644", m)).isTrue();    // mode: "0644"
        assertThat(Values.looselyEqual(644L, m)).isTrue();      // mode: 644
        assertThat(Values.looselyEqual("0600", m)).isFalse();
        assertThat(Values.render(m)).isEqualTo("0644");
    }

    @Test
    void regexesMatchPerLine() throws Exception {
        Facts f = Facts.builder().put("body", "[Service]\nRestart=always\nRestartSec=10\n").build();
        assertThat(failures("matches: ['^Restart=always$', '^RestartSec=\\d+$']", f)).isEmpty();
        assertThat(failures("not_matches: '^Restart=no$'", f)).isEmpty();
    }
}

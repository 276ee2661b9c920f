package io.triaready.core.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import io.triaready.base.yaml.Problem;
import io.triaready.builtin.BuiltIns;
import io.triaready.spi.Target;
import org.junit.jupiter.api.Test;

/** What a playbook's checks need of a target, found before the run ({@link TargetFit}). */
class TargetFitTest {
    private static final String PLAYBOOK = """
            playbook: t
            checks:
              - {id: rows, phase: p0, sql: 'SELECT 1', expect: {value: 1}}
              - {id: other-db, phase: p0, sql: {query: 'SELECT 1', endpoint: analytics}, expect: {value: 1}}
              - {id: inline, phase: p0, sql: {query: 'SELECT 1', url: 'postgres://127.0.0.1/x'}, expect: {value: 1}}
              - {id: cache, phase: p1, redis: {ping: true}}
              - {id: up, phase: p1, prometheus: 'up', expect: {value: {">=": 1}}}
              - {id: shell, phase: p1, command: 'true'}
            """;

    private static List<String> fit(Target target) {
        Playbook pb = new PlaybookLoader(BuiltIns.checkTypes()).load(new StringReader(PLAYBOOK), "pb.yaml",
                PlaybookLoader.Options.forValidate(target, Map.of()));
        return TargetFit.problems(pb, target, c -> true).stream().map(Problem::toString).toList();
    }

    private static Target target(Map<String, Map<String, Object>> endpoints) {
        return new Target("t", List.of(), endpoints, Map.of());
    }

    @Test
    void everyEndpointACheckReadsAndTheTargetLacksIsOneProblemAtTheCheck() {
        assertThat(fit(target(Map.of()))).containsExactly(
                "pb.yaml:3:32: check 'rows': target 't' has no postgres endpoint (add postgres: {url: ...} to the inventory, or give url: in the check)",
                "pb.yaml:4:66: check 'other-db': target 't' has no analytics endpoint (add analytics: {url: ...} to the inventory)",
                "pb.yaml:6:35: check 'cache': target 't' has no redis endpoint (add redis: {url: ...} to the inventory, or give url: in the check)",
                "pb.yaml:7:37: check 'up': target 't' has no prometheus endpoint (add prometheus: {url: ...} to the inventory, or give url: in the check)");
    }

    @Test
    void anEndpointWithoutAUrlOrWithOneTheCheckCannotReadIsAProblemToo() {
        assertThat(fit(target(Map.of(
                "postgres", Map.of("user", "ro"),
                "analytics", Map.of("url", "redis://10.0.0.5:6379"),
                "redis", Map.of("url", "redis://127.0.0.1:6379"),
                "prometheus", Map.of("url", "http://127.0.0.1:9090"))))).containsExactly(
                "pb.yaml:3:32: check 'rows': the postgres endpoint of target 't' has no url (add url: ... to it)",
                "pb.yaml:4:66: check 'other-db': the analytics endpoint's url: not a PostgreSQL URL (use jdbc:postgresql://host:5432/database or postgres://host/database)");
    }

    @Test
    void aTargetWithWhatTheChecksNeedFitsAndPlaceholdersAreTheRunsBusiness() {
        assertThat(fit(target(Map.of(
                "postgres", Map.of("url", "<env:PG_URL>"),
                "analytics", Map.of("url", "jdbc:postgresql://10.0.0.20:5432/analytics"),
                "redis", Map.of("url", "redis://127.0.0.1:6379"),
                "prometheus", Map.of("url", "http://127.0.0.1:9090"))))).isEmpty();
    }
}

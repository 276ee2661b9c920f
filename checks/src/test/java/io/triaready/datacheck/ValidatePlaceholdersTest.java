package io.triaready.datacheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.triaready.check.CheckType;
import io.triaready.metrics.MetricsCheckType;
import io.triaready.playbook.Interpolator;
import io.triaready.playbook.ParseContext;
import io.triaready.playbook.Problems;
import io.triaready.playbook.YNode;
import io.triaready.prometheus.PrometheusCheckType;
import io.triaready.redis.RedisCheckType;
import io.triaready.secret.Secrets;
import io.triaready.sql.SqlCheckType;

/** `validate` replaces secrets and endpoint variables with stand-ins: URL checks at load time must let them through. */
class ValidatePlaceholdersTest {
    private static Problems parse(CheckType type, String yaml) {
        Problems problems = new Problems();
        ParseContext ctx = new ParseContext(problems, new Interpolator(Map.of(), new Secrets(), Interpolator.External.PLACEHOLDER, k -> null, "local"));
        assertThat(type.parse(YNode.parse(yaml, "v.yml"), ctx)).isNotNull();
        return problems;
    }

    @Test
    void placeholdersAreNotMistakes() {
        assertThat(parse(new SqlCheckType(), "{query: 'SELECT 1', url: '${env:DATABASE_URL}'}").sorted()).isEmpty();
        assertThat(parse(new SqlCheckType(), "{query: 'SELECT 1', url: '${postgres.url}'}").sorted()).isEmpty();
        assertThat(parse(new RedisCheckType(), "{ping: true, url: '${env:REDIS_URL}'}").sorted()).isEmpty();
        assertThat(parse(new MetricsCheckType(), "'${http.base_url}/metrics'").sorted()).isEmpty();
        assertThat(parse(new PrometheusCheckType(), "{query: up, url: '${file:/etc/prom-url}'}").sorted()).isEmpty();
    }
}

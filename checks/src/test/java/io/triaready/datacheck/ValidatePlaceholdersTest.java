package io.triaready.datacheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.Problems;
import io.triaready.base.yaml.YNode;
import io.triaready.checks.metrics.MetricsCheckType;
import io.triaready.checks.prometheus.PrometheusCheckType;
import io.triaready.checks.redis.RedisCheckType;
import io.triaready.checks.sql.SqlCheckType;
import io.triaready.spi.CheckType;
import org.junit.jupiter.api.Test;

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

package io.triaready.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.PlaybookException;
import io.triaready.base.yaml.Problem;
import io.triaready.base.yaml.YNode;
import io.triaready.spi.HostSpec;
import io.triaready.spi.Target;
import org.junit.jupiter.api.Test;

class InventoryLoaderTest {
    private static InventoryLoader.Inventory parse(String yaml, Map<String, String> env, Secrets secrets) {
        return InventoryLoader.parse(io.triaready.builtin.BuiltIns.hostConnectors(), YNode.parse(yaml, "targets.yaml"), Interpolator.External.RESOLVE, env::get, secrets);
    }

    @Test
    void targetsWithHostsEndpointsAndSecrets() {
        Secrets secrets = new Secrets();
        var inv = parse("""
                targets:
                  prod:
                    ssh: {host: 10.0.0.5, user: ubuntu, identity: ~/.ssh/tria.pem}
                    http: {base_url: "https://tria.example.com"}
                    postgres: {url: "jdbc:postgresql://127.0.0.1:5432/tria", user: tria, password: "${env:PGPW}", tunnel: ssh}
                    vars: {service: tria-aibpo}
                  fleet:
                    ssh: {user: root, port: 2222}
                    hosts: [web-1, {name: web-2, host: 10.0.0.2, port: 22}]
                    endpoints: {analytics: {url: "jdbc:postgresql://db/x"}}
                  local:
                    http: {base_url: "http://127.0.0.1:8088"}
                """, Map.of("PGPW", "pg-secret-pw"), secrets);
        Target prod = inv.target("prod").orElseThrow();
        assertThat(prod.hosts()).singleElement().satisfies(h -> {
            assertThat(h.name()).isEqualTo("10.0.0.5");
            assertThat(h.transport()).isEqualTo("ssh");
            assertThat(h.setting("user")).isEqualTo("ubuntu");
        });
        assertThat(prod.variables()).containsEntry("http.base_url", "https://tria.example.com").containsEntry("service", "tria-aibpo")
                .containsEntry("target.name", "prod");
        assertThat(prod.endpoint("postgres")).containsEntry("password", "pg-secret-pw");
        assertThat(secrets.mask("password pg-secret-pw")).doesNotContain("pg-secret-pw");
        Target fleet = inv.target("fleet").orElseThrow();
        assertThat(fleet.hosts()).extracting(HostSpec::name).containsExactly("web-1", "web-2");
        assertThat(fleet.hosts().get(0).setting("port")).isEqualTo("2222");
        assertThat(fleet.hosts().get(1).setting("port")).isEqualTo("22");
        assertThat(fleet.endpoint("analytics")).containsKey("url");
        Target local = inv.target("local").orElseThrow();
        assertThat(local.hosts()).containsExactly(HostSpec.LOCAL);
        assertThat(local.variables()).containsEntry("http.base_url", "http://127.0.0.1:8088");
    }

    @Test
    void onlyTheChosenTargetsSecretsAreResolved() {
        String yaml = "targets:\n  prod: {redis: {password: \"${env:PROD_ONLY_SECRET}\"}}\n  staging: {http: {base_url: \"https://staging.example.com\"}}\n";
        var inv = InventoryLoader.parse(io.triaready.builtin.BuiltIns.hostConnectors(), YNode.parse(yaml, "targets.yaml"), Interpolator.External.RESOLVE, k -> null, new Secrets(), "staging");
        Target staging = inv.target("staging").orElseThrow();
        assertThat(staging.variables()).containsEntry("http.host", "staging.example.com").containsEntry("http.port", "443");
        assertThatThrownBy(() -> InventoryLoader.parse(io.triaready.builtin.BuiltIns.hostConnectors(), YNode.parse(yaml, "targets.yaml"), Interpolator.External.RESOLVE, k -> null, new Secrets(), "prod"))
                .isInstanceOf(PlaybookException.class).hasMessageContaining("PROD_ONLY_SECRET");
    }

    @Test
    void localExistsWithoutBeingDefined() {
        var inv = parse("targets: {prod: {http: {base_url: x}}}", Map.of(), new Secrets());
        assertThat(inv.target("local")).contains(Target.local());
        assertThat(inv.target("prod").orElseThrow().hosts()).isEmpty();
    }

    @Test
    void mistakesHavePositions() {
        assertThatThrownBy(() -> parse("""
                targets:
                  prod:
                    htp: {base_url: x}
                    ssh: {user: root}
                    hosts: {a: 1}
                """, Map.of(), new Secrets()))
                .isInstanceOfSatisfying(PlaybookException.class, e -> assertThat(e.problems()).extracting(Problem::toString).containsExactly(
                        "targets.yaml:3:5: unknown key 'htp' in target 'prod' (did you mean 'http'?) (endpoints with other names go under 'endpoints:')",
                        "targets.yaml:5:12: 'hosts' must be a list of host names or mappings, got a mapping"));
        assertThatThrownBy(() -> parse("targets:\n  prod:\n    ssh: {host: h, idenity: ~/.ssh/k}\n    hosts: [{name: a, prot: 22}]\n", Map.of(), new Secrets()))
                .isInstanceOfSatisfying(PlaybookException.class, e -> assertThat(e.problems()).extracting(Problem::toString).containsExactly(
                        "targets.yaml:3:20: unknown key 'idenity' in 'ssh' (did you mean 'identity'?)",
                        "targets.yaml:4:23: unknown key 'prot' in a host (did you mean 'port'?)"));
        assertThatThrownBy(() -> parse("targets:\n  prod:\n    ssh: {user: root}\n", Map.of(), new Secrets()))
                .isInstanceOfSatisfying(PlaybookException.class, e -> assertThat(e.problems()).extracting(Problem::toString).containsExactly(
                        "targets.yaml:3:10: 'ssh' needs 'host' (an address or an alias from ~/.ssh/config)"));
        assertThatThrownBy(() -> parse("targets:\n  prod:\n    redis: {password: \"${env:NOPE_NOT_SET}\"}\n", Map.of(), new Secrets()))
                .isInstanceOfSatisfying(PlaybookException.class, e -> assertThat(e.problems()).extracting(Problem::toString).containsExactly(
                        "targets.yaml:3:24: environment variable 'NOPE_NOT_SET' is not set"));
    }
}

package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inventory settings are parsed when the inventory is read, and checks say what they need of their
 * target: a mistake is one line with file:line:column and exit 2 from {@code validate} (and from
 * {@code audit}, before anything runs), not an ERROR of every check at run time.
 */
class SettingsAtLoadCliTest {
    @TempDir
    Path dir;

    private static final String PLAYBOOK = """
            playbook: t
            checks:
              - {id: up, phase: p0, command: 'true'}
              - {id: one, phase: p0, sql: 'SELECT 1', expect: {value: 1}}
              - {id: cache, phase: p1, redis: {ping: true}}
            """;

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** Exit 2, and exactly one line on stderr besides the count: {@code expected}, after the file's name. */
    private static void oneMistake(Cli r, Path file, String expected) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        List<String> lines = r.err().strip().lines().filter(l -> !l.matches("\\d+ problems? found")).toList();
        assertThat(lines).as(r.err()).containsExactly(file + ":" + expected);
        assertThat(lines.get(0)).matches(".*:\\d+:\\d+: .*");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("internal error");
    }

    @Test
    void inventoryMistakesAreFoundByValidateWithTheirPositions() throws Exception {
        Path pb = file("pb.yaml", PLAYBOOK);
        Map<String, String> cases = Map.of(
                "targets:\n  t:\n    ssh: {host: h, port: seventy}\n", "3:26: 'port' must be a whole number from 1 to 65535, got seventy",
                "targets:\n  t:\n    ssh: {host: h, port: 99999}\n", "3:26: 'port' must be a whole number from 1 to 65535, got 99999",
                "targets:\n  t:\n    ssh: {host: h, idenity: ~/.ssh/id_ed25519}\n", "3:20: unknown key 'idenity' in 'ssh' (did you mean 'identity'?)",
                "targets:\n  t:\n    ssh: {host: h, ssh_config: none, exec: lanes}\n",
                "3:44: ssh host h: 'exec' must be shell or channel, got 'lanes'",
                "targets:\n  t:\n    postgres: {url: \"postgres//127.0.0.1/db\"}\n",
                "3:21: 'url' of endpoint 'postgres': not a PostgreSQL URL (use jdbc:postgresql://host:5432/database or postgres://host/database)",
                "targets:\n  t:\n    redis: {url: \"redis://127.0.0.1:6379\", tunnel: ssh}\n",
                "3:52: tunnel: ssh needs an SSH host, and this target has none (add ssh: or hosts: to it)");
        int n = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path inv = file("targets-" + n++ + ".yaml", c.getKey());
            oneMistake(Cli.run("validate", "-i", inv.toString(), pb.toString()), inv, c.getValue());
            // the same line from audit, before anything runs
            oneMistake(Cli.run("audit", "--no-store", "-i", inv.toString(), "-t", "t", "-p", pb.toString()), inv, c.getValue());
        }
    }

    @Test
    void validateWithoutATargetReportsTheMistakesOfEveryTarget() throws Exception {
        Path pb = file("pb.yaml", PLAYBOOK);
        Path inv = file("targets.yaml", """
                targets:
                  a:
                    ssh: {host: h, port: seventy}
                  b:
                    hosts: [{name: x, host: h, port: 99999}]
                  c:
                    postgres: {url: "jdbc:postgresql://h:99999/db", password: "${env:NOT_SET_ANYWHERE}"}
                """);
        Cli r = Cli.run(Map.of(), "validate", "-i", inv.toString(), pb.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip().lines()).containsExactly(
                inv + ":3:26: 'port' must be a whole number from 1 to 65535, got seventy",
                inv + ":5:38: 'port' must be a whole number from 1 to 65535, got 99999",
                inv + ":7:21: 'url' of endpoint 'postgres': invalid port '99999'",
                "3 problems found");
    }

    @Test
    void aFixStepWhoseEndpointTheTargetLacksIsFoundByValidate() throws Exception {
        Path pb = file("fx.yaml", """
                playbook: fx
                checks:
                  - {id: ok, phase: p0, command: 'true', fix: reindex}
                fixes:
                  - id: reindex
                    steps:
                      - {sql: "reindex table products"}
                """);
        Path bare = file("bare.yaml", "targets:\n  t:\n    redis: {url: \"redis://127.0.0.1:6379\"}\n");
        oneMistake(Cli.run("validate", "-i", bare.toString(), "-t", "t", pb.toString()), pb,
                "7:9: fix 'reindex': target 't' has no postgres endpoint (add postgres: {url: ...} to the inventory)");
        // with the endpoint, it fits; without --target, endpoints are the target's business
        Path full = file("full.yaml", "targets:\n  t:\n    postgres: {url: \"jdbc:postgresql://127.0.0.1:5432/postgres\", user: postgres}\n");
        Cli fits = Cli.run("validate", "-i", full.toString(), "-t", "t", pb.toString());
        assertThat(fits.exit()).as(fits.err()).isZero();
        assertThat(Cli.run("validate", "-i", bare.toString(), pb.toString()).exit()).isZero();
    }

    @Test
    void aCheckWhoseEndpointTheTargetLacksIsFoundBeforeTheRun() throws Exception {
        Path pb = file("pb.yaml", PLAYBOOK);
        Path inv = file("targets.yaml", "targets:\n  t:\n    redis: {url: \"redis://127.0.0.1:6379\"}\n");
        String line = "4:31: check 'one': target 't' has no postgres endpoint (add postgres: {url: ...} to the inventory, or give url: in the check)";
        oneMistake(Cli.run("validate", "-i", inv.toString(), "-t", "t", pb.toString()), pb, line);
        oneMistake(Cli.run("audit", "--no-store", "-i", inv.toString(), "-t", "t", "-p", pb.toString()), pb, line);
        // a check left out of the run needs nothing
        Path json = dir.resolve("only.json");
        Cli only = Cli.run("audit", "--no-store", "-q", "-o", json.toString(), "-i", inv.toString(), "-t", "t", "-p", pb.toString(), "--only", "cache");
        assertThat(only.exit()).as(only.err()).isIn(0, 1); // 1: the P0 checks left out are not passes
        assertThat(only.err()).doesNotContain("has no postgres");
        assertThat(Files.readString(json)).containsPattern("\"id\"\\s*:\\s*\"cache\"");
        // without --target, endpoints are the target's business
        assertThat(Cli.run("validate", "-i", inv.toString(), pb.toString()).exit()).isZero();
    }

    @Test
    void anUnsetSecretTheTargetNeedsFailsValidateAsItFailsAudit() throws Exception {
        Path pb = file("pb.yaml", PLAYBOOK);
        Path inv = file("targets.yaml", """
                targets:
                  t:
                    postgres: {url: "jdbc:postgresql://127.0.0.1:5432/postgres", user: postgres, password: "${env:H3_PG_PASSWORD}"}
                    redis: {url: "redis://127.0.0.1:6379"}
                  other:
                    redis: {url: "redis://127.0.0.1:6379", password: "${env:H3_OTHER}"}
                """);
        String line = "3:93: environment variable 'H3_PG_PASSWORD' is not set";
        oneMistake(Cli.run(Map.of(), "audit", "--no-store", "-i", inv.toString(), "-t", "t", "-p", pb.toString()), inv, line);
        oneMistake(Cli.run(Map.of(), "validate", "-i", inv.toString(), "-t", "t", pb.toString()), inv, line);
        // with --no-secrets validate needs no secret: the same line, as a note
        Cli lenient = Cli.run(Map.of(), "validate", "--no-secrets", "-i", inv.toString(), "-t", "t", pb.toString());
        assertThat(lenient.exit()).as(lenient.err()).isZero();
        assertThat(Cli.run(Map.of(), "validate", "--no-secrets", "--strict", "-i", inv.toString(), "-t", "t", pb.toString()).exit()).isZero();
        assertThat(lenient.err()).contains(inv + ":3:93: note: environment variable 'H3_PG_PASSWORD' is not set (audit -t t refuses to run without it");
        // set, it passes both (another target's secret is not needed)
        Map<String, String> env = Map.of("H3_PG_PASSWORD", "unused-with-trust");
        Cli valid = Cli.run(env, "validate", "-i", inv.toString(), "-t", "t", pb.toString());
        assertThat(valid.exit()).as(valid.err()).isZero();
        assertThat(valid.err()).isEmpty();
    }

    @Test
    void aCorrectInventoryValidatesAndAuditsAsBefore() throws Exception {
        Path pb = file("pb.yaml", PLAYBOOK);
        Path inv = file("targets.yaml", """
                targets:
                  local:
                    postgres: {url: "jdbc:postgresql://127.0.0.1:5432/postgres", user: postgres}
                    redis: {url: "redis://127.0.0.1:6379", tunnel: none}
                  fleet:
                    ssh: {user: root, port: 2222, ssh_config: none, connect_timeout: 5s}
                    hosts: [web-1, {name: web-2, host: 10.0.0.12, port: "22"}]
                """);
        Cli v = Cli.run(Map.of(), "validate", "-i", inv.toString(), "-t", "local", pb.toString());
        assertThat(v.exit()).as(v.err()).isZero();
        assertThat(v.out()).contains("ok    " + inv + ": 2 targets").contains("ok    " + pb + ": 3 checks, 0 fixes");
        Path json = dir.resolve("result.json");
        Cli a = Cli.run("audit", "--no-store", "-q", "-o", json.toString(), "-i", inv.toString(), "-t", "local", "-p", pb.toString());
        assertThat(a.exit()).as(a.err()).isZero();
        String result = Files.readString(json);
        assertThat(result).containsPattern("\"id\"\\s*:\\s*\"one\"").containsPattern("\"id\"\\s*:\\s*\"cache\"")
                .containsPattern("\"status\"\\s*:\\s*\"pass\"").doesNotContainPattern("\"status\"\\s*:\\s*\"error\"");
    }
}

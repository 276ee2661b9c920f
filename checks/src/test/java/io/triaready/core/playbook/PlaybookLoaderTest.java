package io.triaready.core.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.PlaybookException;
import io.triaready.base.yaml.Problem;
import io.triaready.builtin.BuiltIns;
import io.triaready.spi.Target;
import org.junit.jupiter.api.Test;

class PlaybookLoaderTest {
    private final PlaybookLoader loader = new PlaybookLoader(BuiltIns.checkTypes());

    private Playbook load(String yaml) {
        return load(yaml, Map.of());
    }

    private Playbook load(String yaml, Map<String, String> env) {
        return loader.load(new StringReader(yaml), "pb.yaml",
                new PlaybookLoader.Options(Target.local(), Map.of(), Interpolator.External.RESOLVE, env::get, new Secrets()));
    }

    /** The problems of a playbook that must not load, as printed: file:line:column: message. */
    private List<String> problems(String yaml) {
        try {
            load(yaml);
        } catch (PlaybookException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
        throw new AssertionError("expected the playbook to be rejected");
    }

    private static final String HEAD = "playbook: t\n";

    @Test
    void loadsAValidPlaybookWithDefaultsAndVariables() {
        Playbook pb = load(HEAD + """
                title: Test
                vars: {dir: /tmp, nested: "${dir}/x"}
                defaults: {timeout: 3s, retries: 2, retry_delay: 100ms}
                checks:
                  - id: a
                    phase: p0
                    file: ${nested}
                  - id: b
                    phase: P1
                    weight: 2
                    tags: [smoke]
                    depends_on: [a]
                    command: "echo ${dir}"
                    expect: {stdout: {contains: tmp}}
                    fix: f
                fixes:
                  - id: f
                    steps:
                      - run: "touch ${dir}/y"
                """);
        assertThat(pb.id()).isEqualTo("t");
        assertThat(pb.checks()).extracting(CheckDef::id).containsExactly("a", "b");
        CheckDef a = pb.checks().get(0);
        assertThat(a.probe().describe()).isEqualTo("file /tmp/x");
        assertThat(a.timeout()).hasSeconds(3);
        assertThat(a.retry().count()).isEqualTo(2);
        assertThat(a.expect().describe()).containsExactly("exists true"); // the file type's default expectation
        CheckDef b = pb.checks().get(1);
        assertThat(b.phase()).isEqualTo(Phase.P1);
        assertThat(b.probe().describe()).isEqualTo("run: echo /tmp");
        assertThat(pb.fixes().get(0).steps().get(0).describe()).isEqualTo("run: touch /tmp/y");
        assertThat(pb.checksRepairedBy(pb.fixes().get(0))).extracting(CheckDef::id).containsExactly("b");
    }

    @Test
    void aDirectoryOfFilesLoadsAsOnePlaybookWithIdsUniqueAcrossFiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("10-web.yaml"), "playbook: svc\nvars: {port: '8080'}\nchecks:\n  - {id: web, phase: p0, tcp: '127.0.0.1:${port}'}\n");
        java.nio.file.Files.writeString(dir.resolve("20-host.yml"), "checks:\n  - {id: disk, phase: p1, command: 'df /', fix: f}\nfixes:\n  - {id: f, manual: clean up}\n");
        java.nio.file.Files.writeString(dir.resolve("notes.txt"), "not a playbook");
        PlaybookLoader.Options options = new PlaybookLoader.Options(Target.local(), Map.of(), Interpolator.External.RESOLVE, k -> null, new Secrets());
        Playbook pb = loader.load(dir, options);
        assertThat(pb.id()).isEqualTo("svc");
        assertThat(pb.checks()).extracting(CheckDef::id).containsExactly("web", "disk");
        assertThat(pb.checks().get(0).probe().describe()).contains("8080"); // vars are shared across the files
        java.nio.file.Files.writeString(dir.resolve("30-dup.yaml"), "checks:\n  - {id: web, phase: p2, command: 'true'}\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> loader.load(dir, options)).isInstanceOf(PlaybookException.class)
                .hasMessageContaining("30-dup.yaml:2:10: duplicate check id 'web' (first defined at " + dir.resolve("10-web.yaml") + ":4)");
    }

    @Test
    void yamlSyntaxErrorHasPosition() {
        assertThat(problems("playbook: t\nchecks: [\n  - id: x\n")).singleElement().asString()
                .startsWith("pb.yaml:3:3: invalid YAML");
    }

    @Test
    void unknownKeysSuggestTheClosestOne() {
        assertThat(problems(HEAD + "titel: x\nchecks:\n  - id: a\n    phase: p0\n    command: 'true'\n    timout: 3s\n"))
                .containsExactly(
                        "pb.yaml:2:1: unknown key 'titel' in the playbook (did you mean 'title'?)",
                        "pb.yaml:7:5: unknown key 'timout' in check 'a' (did you mean 'timeout'?)");
    }

    @Test
    void unknownCheckTypeIsReportedOnce() {
        assertThat(problems(HEAD + "checks:\n  - id: a\n    phase: p0\n    comand: 'true'\n"))
                .containsExactly("pb.yaml:5:5: unknown check type 'comand' (did you mean 'command'?)");
    }

    @Test
    void wrongTypes() {
        assertThat(problems(HEAD + "checks:\n  - id: a\n    phase: p0\n    weight: heavy\n    retries: many\n    tags: {x: 1}\n    command: 'true'\n"))
                .containsExactly(
                        "pb.yaml:5:13: 'weight' must be a number, got a string",
                        "pb.yaml:6:14: 'retries' must be a whole number, got a string",
                        "pb.yaml:7:11: 'tags' must be a list of strings, got a mapping");
        assertThat(problems(HEAD + "checks: {a: 1}\n")).containsExactly("pb.yaml:2:9: 'checks' must be a list of checks, got a mapping");
    }

    @Test
    void missingRequiredFields() {
        assertThat(problems("checks:\n  - phase: p0\n    command: 'true'\n  - id: b\n    command: 'true'\n"))
                .containsExactly(
                        "pb.yaml:1:1: the playbook is missing required key 'playbook' (its id, e.g. playbook: my-service)",
                        "pb.yaml:2:5: check is missing required key 'id'",
                        "pb.yaml:4:5: check 'b' is missing required key 'phase' (p0, p1 or p2)");
    }

    @Test
    void duplicateCheckId() {
        assertThat(problems(HEAD + "checks:\n  - {id: a, phase: p0, command: 'true'}\n  - {id: a, phase: p1, command: 'true'}\n"))
                .containsExactly("pb.yaml:4:10: duplicate check id 'a' (first defined at pb.yaml:3)");
    }

    @Test
    void unknownDependsOnAndFixReferences() {
        assertThat(problems(HEAD + """
                checks:
                  - {id: alpha, phase: p0, command: 'true', depends_on: [alpah], fix: restat}
                fixes:
                  - {id: restart, steps: [{run: 'true'}], verify: [nosuch]}
                """)).containsExactly(
                "pb.yaml:3:58: depends_on: unknown check 'alpah' (did you mean 'alpha'?)",
                "pb.yaml:3:71: fix: unknown fix 'restat' (did you mean 'restart'?)",
                "pb.yaml:5:52: verify: unknown check 'nosuch'");
    }

    @Test
    void dependencyCycle() {
        assertThat(problems(HEAD + """
                checks:
                  - {id: a, phase: p0, command: 'true', depends_on: [b]}
                  - {id: b, phase: p0, command: 'true', depends_on: [c]}
                  - {id: c, phase: p0, command: 'true', depends_on: [a]}
                """)).containsExactly("pb.yaml:5:53: dependency cycle: a -> b -> c -> a");
    }

    @Test
    void badPhase() {
        assertThat(problems(HEAD + "checks:\n  - {id: a, phase: p3, command: 'true'}\n"))
                .containsExactly("pb.yaml:3:20: invalid phase 'p3' (use p0, p1 or p2)");
    }

    @Test
    void undefinedVariablePointsAtTheReference() {
        assertThat(problems(HEAD + "vars: {service: api}\nchecks:\n  - id: a\n    phase: p0\n    command: \"systemctl status ${servce}\"\n"))
                .containsExactly("pb.yaml:6:32: undefined variable 'servce' (did you mean 'service'?)");
        assertThat(problems(HEAD + "checks:\n  - {id: a, phase: p0, file: \"${http.base_url}\"}\n"))
                .singleElement().asString().contains("target 'local' does not define http.base_url");
    }

    @Test
    void missingEnvironmentVariable() {
        assertThat(problems(HEAD + "checks:\n  - {id: a, phase: p0, command: \"echo ${env:TRIA_TEST_UNSET_VAR}\"}\n"))
                .containsExactly("pb.yaml:3:39: environment variable 'TRIA_TEST_UNSET_VAR' is not set");
    }

    @Test
    void invalidRegexAndJsonPath() {
        assertThat(problems(HEAD + """
                checks:
                  - id: a
                    phase: p0
                    command: 'echo {}'
                    expect: {stdout: {matches: "(open"}, json: {"$.a[": 1, "$.ok": true}}
                """)).containsExactly(
                "pb.yaml:6:32: invalid regex '(open': Unclosed group near index 5",
                "pb.yaml:6:49: invalid JSON path '$.a[': '[' at position 4 is not closed");
    }

    @Test
    void unknownExpectationAndMatcher() {
        assertThat(problems(HEAD + "checks:\n  - {id: a, phase: p0, command: 'x', expect: {exitcode: 0, stdout: {containz: y}}}\n"))
                .containsExactly(
                        "pb.yaml:3:47: unknown expectation 'exitcode' for a command check (did you mean 'exit_code'?) (facts: exit_code, stdout, stderr, json, duration_ms)",
                        "pb.yaml:3:69: unknown matcher 'containz' (did you mean 'contains'?)");
    }

    @Test
    void severalMistakesAreReportedTogetherInFileOrder() {
        List<String> p = problems(HEAD + """
                checks:
                  - {id: a, phase: p9, command: 'true'}
                  - {id: b, phase: p0, command: 'true', depends_on: [zz]}
                  - {id: c, phase: p0, file: "${undefined}"}
                """);
        assertThat(p).hasSize(3);
        assertThat(p.get(0)).startsWith("pb.yaml:3:");
        assertThat(p.get(1)).startsWith("pb.yaml:4:");
        assertThat(p.get(2)).startsWith("pb.yaml:5:");
    }

    @Test
    void fixMistakes() {
        assertThat(problems(HEAD + """
                checks:
                  - {id: a, phase: p0, command: 'true'}
                fixes:
                  - {id: f1}
                  - {id: f2, steps: []}
                  - {id: f3, steps: [{runn: x}]}
                """)).containsExactly(
                "pb.yaml:5:5: fix 'f1' needs 'steps' (what to run) or 'manual' (instructions for a person)",
                "pb.yaml:6:21: fix 'f2' has an empty 'steps' list",
                "pb.yaml:7:22: a fix step needs one of run, http, sql, wait (did you mean 'run'?)");
    }

    @Test
    void fixReferencesAndStepsAreValidated() {
        assertThat(problems(HEAD + """
                checks:
                  - {id: a, phase: p0, command: 'true'}
                fixes:
                  - id: f
                    disruption: severe
                    requires: [backup]
                    steps:
                      - {wait: a-ok, timeout: 30s}
                      - {run: "systemctl restart ${svc}", sudo: maybe}
                      - {sql: []}
                      - {http: {url: "http://x/reload", methd: POST}}
                """)).containsExactly(
                "pb.yaml:6:17: invalid disruption 'severe' (use none, low, medium or high)",
                "pb.yaml:7:16: requires: unknown check 'backup'",
                "pb.yaml:9:16: wait: unknown check 'a-ok'",
                "pb.yaml:10:34: undefined variable 'svc'",
                "pb.yaml:10:49: 'sudo' must be true or false, got a string",
                "pb.yaml:11:15: 'sql' step needs at least one statement",
                "pb.yaml:12:41: unknown key 'methd' in 'http' step (did you mean 'method'?)");
    }

    @Test
    void categoriesMustCoverEveryCheck() {
        assertThat(problems(HEAD + """
                categories: {functional: 60, quality: 40}
                checks:
                  - {id: a, phase: p0, command: 'true', category: functionl}
                  - {id: b, phase: p0, command: 'true'}
                """)).containsExactly(
                "pb.yaml:4:51: unknown category 'functionl' (did you mean 'functional'?) (the playbook's categories: functional, quality)",
                "pb.yaml:5:5: check 'b' has no 'category', but the playbook scores by categories (functional, quality)");
    }

    @Test
    void hostileYamlIsRejected() {
        // a type tag must never construct anything
        assertThat(problems("playbook: !!javax.script.ScriptEngineManager [x]\nchecks: []\n")).singleElement().asString()
                .contains("tag").contains("not allowed");
        // billion laughs: aliases are capped
        StringBuilder laughs = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'z'; c++) {
            laughs.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 10; i++) laughs.append(i == 0 ? "" : ",").append('*').append(prev);
            laughs.append("]\n");
            prev = c;
        }
        assertThatThrownBy(() -> load(laughs.toString())).isInstanceOf(PlaybookException.class);
        // deep nesting
        assertThatThrownBy(() -> load("a: " + "[".repeat(500) + "]".repeat(500))).isInstanceOf(PlaybookException.class);
    }

    @Test
    void secretsFromEnvironmentAreRegistered() {
        Secrets secrets = new Secrets();
        loader.load(new StringReader(HEAD + "checks:\n  - {id: a, phase: p0, command: \"echo ${env:TOKEN}\"}\n"), "pb.yaml",
                new PlaybookLoader.Options(Target.local(), Map.of(), Interpolator.External.RESOLVE, Map.of("TOKEN", "s3cr3t-value")::get, secrets));
        assertThat(secrets.mask("token is s3cr3t-value")).isEqualTo("token is ******");
    }

    @Test
    void validateModeNeedsNoSecretsAndAcceptsEndpointVariables() {
        Playbook pb = loader.load(new StringReader(HEAD + "checks:\n  - {id: a, phase: p0, command: \"curl ${http.base_url} -H ${env:TOKEN}\"}\n"),
                "pb.yaml", PlaybookLoader.Options.forValidate(Target.local(), Map.of()));
        assertThat(pb.checks().get(0).probe().describe()).isEqualTo("run: curl http://http.base-url.invalid -H <env:TOKEN>");
    }

    @Test
    void cliVariablesWinOverPlaybookVariables() {
        Playbook pb = loader.load(new StringReader(HEAD + "vars: {x: one}\nchecks:\n  - {id: a, phase: p0, command: \"echo ${x}\"}\n"), "pb.yaml",
                new PlaybookLoader.Options(Target.local(), Map.of("x", "two"), Interpolator.External.RESOLVE, k -> null, new Secrets()));
        assertThat(pb.checks().get(0).probe().describe()).isEqualTo("run: echo two");
    }

    @Test
    void variableCycleIsReported() {
        assertThat(problems(HEAD + "vars: {a: '${b}', b: '${a}'}\nchecks:\n  - {id: c, phase: p0, command: 'echo ${a}'}\n"))
                .singleElement().asString().contains("refers to itself");
    }
}

package io.triaready.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.builtin.BuiltIns;
import io.triaready.core.engine.Engine;
import io.triaready.core.engine.RunListener;
import io.triaready.core.engine.RunOptions;
import io.triaready.core.engine.RunResult;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.core.result.CheckResult;
import io.triaready.core.result.HostResult;
import io.triaready.core.result.Outcome;
import io.triaready.spi.HostSpec;
import io.triaready.spi.Target;
import io.triaready.testing.Keys;
import io.triaready.testing.Sshd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole audit through the engine against a fleet of SSH hosts (two servers, one of them under two
 * names): the host check types on a server tree like the bench's, one connection per server.
 */
class SshEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void auditsAFleetOverSshWithOneConnectionPerServer() throws Exception {
        Path key = Keys.keygen(dir.resolve("id"), "ed25519", false, null, "e2e");
        Path srv = dir.resolve("srv");
        Files.createDirectories(srv.resolve("etc/cron.d"));
        Files.createDirectories(srv.resolve("opt/tria"));
        Files.writeString(srv.resolve("etc/cron.d/tria-healthcheck"), "*/5 * * * * root curl -fsS http://127.0.0.1:8001/health\n");
        Files.writeString(srv.resolve("opt/tria/.env"), "DATABASE_URL=postgresql://tria:pw-4711-secret@db/tria\nOPENAI_API_KEY=sk-e2e-secret-key\n");
        try (Sshd a = Sshd.builder(dir.resolve("a")).authorize(Keys.pub(key)).start();
             Sshd b = Sshd.builder(dir.resolve("b")).authorize(Keys.pub(key)).start()) {
            Path kh = Files.writeString(dir.resolve("known_hosts"),
                    String.join("\n", a.knownHostsLines()) + "\n" + String.join("\n", b.knownHostsLines()) + "\n");
            Target fleet = new Target("fleet", List.of(host("web-1", a, key, kh), host("web-1b", a, key, kh), host("web-2", b, key, kh)),
                    Map.of(), Map.of());
            Playbook pb = new PlaybookLoader(BuiltIns.checkTypes()).load(new StringReader("""
                    playbook: e2e
                    vars: {srv: '%s'}
                    checks:
                      - {id: sshd-running, phase: p0, process: sshd}
                      - {id: ssh-port, phase: p0, port: {port: %d, address: 127.0.0.1}}
                      - {id: health-cron, phase: p0, cron: {pattern: 'curl .*/health', root: '${srv}'}}
                      - {id: env-complete, phase: p1, env_file: {path: '${srv}/opt/tria/.env', required: [DATABASE_URL, OPENAI_API_KEY, SENTRY_DSN]}}
                      - {id: disk, phase: p1, disk: /}
                      - {id: memory, phase: p1, memory: {}}
                      - {id: backend-service, phase: p2, service: tria-aibpo}
                    """.formatted(srv, a.port())), "e2e.yaml",
                    new PlaybookLoader.Options(fleet, Map.of(), Interpolator.External.RESOLVE, n -> null, new Secrets()));
            RunResult r = new Engine(BuiltIns.hostConnectors()).run(pb, fleet, RunOptions.defaults(), new Secrets(), RunListener.NONE, "test");

            assertThat(outcome(r, "sshd-running")).isEqualTo(Outcome.PASS);
            assertThat(outcome(r, "health-cron")).isEqualTo(Outcome.PASS);
            assertThat(outcome(r, "disk")).isEqualTo(Outcome.PASS);
            // b listens on another port: port a.port() is open on the machine both servers share, so all hosts pass
            assertThat(outcome(r, "ssh-port")).isEqualTo(Outcome.PASS);
            CheckResult env = check(r, "env-complete");
            assertThat(env.outcome()).isEqualTo(Outcome.FAIL);
            for (HostResult h : env.hosts()) {
                assertThat(h.failures()).containsExactly("missing: expected length 0, got [\"SENTRY_DSN\"] (length is 1)");
                assertThat(h.toString()).doesNotContain("pw-4711-secret").doesNotContain("sk-e2e-secret-key");
            }
            assertThat(check(r, "backend-service").hosts()).extracting(HostResult::host).containsExactly("web-1", "web-1b", "web-2");
            assertThat(check(r, "backend-service").hosts()).allSatisfy(h -> assertThat(h.outcome()).isIn(Outcome.ERROR, Outcome.FAIL, Outcome.PASS));
            // seven checks on three hosts: two connections, one per server
            assertThat(a.acceptedLogins()).isEqualTo(1);
            assertThat(b.acceptedLogins()).isEqualTo(1);
        }
    }

    private static HostSpec host(String name, Sshd sshd, Path key, Path kh) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("host", sshd.host());
        s.put("port", sshd.port());
        s.put("user", "root");
        s.put("identity", key.toString());
        s.put("known_hosts", kh.toString());
        s.put("ssh_config", "none");
        s.put("agent", "none");
        return new HostSpec(name, "ssh", s);
    }

    private static CheckResult check(RunResult r, String id) {
        return r.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    private static Outcome outcome(RunResult r, String id) {
        CheckResult c = check(r, id);
        return c.outcome();
    }
}

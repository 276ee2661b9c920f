package io.triaready.fix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.builtin.BuiltIns;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.core.result.Outcome;
import io.triaready.spi.HostSpec;
import io.triaready.spi.Target;
import io.triaready.testing.Keys;
import io.triaready.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixes applied over a real OpenSSH sshd on loopback: the transport on-call engineers use. */
class FixOverSshTest {
    @TempDir
    static Path dir;

    static Sshd sshd;
    static Path key;
    static Path knownHosts;

    @BeforeAll
    static void start() throws Exception {
        key = Keys.keygen(dir.resolve("id"), "ed25519", false, null, "fix-test");
        sshd = Sshd.builder(dir.resolve("sshd")).authorize(Keys.pub(key)).start();
        knownHosts = sshd.writeKnownHosts(dir.resolve("known_hosts"));
    }

    @AfterAll
    static void stop() {
        if (sshd != null) sshd.close();
    }

    private static HostSpec host(String name) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("host", sshd.host());
        s.put("port", sshd.port());
        s.put("user", "root");
        s.put("identity", key.toString());
        s.put("known_hosts", knownHosts.toString());
        s.put("ssh_config", "none");
        s.put("agent", "none");
        return new HostSpec(name, "ssh", s);
    }

    private static Target target(String... hosts) {
        return new Target("remote", java.util.Arrays.stream(hosts).map(FixOverSshTest::host).toList(), Map.of(), Map.of());
    }

    private Playbook playbook(String yaml, Path work, Target target) {
        return new PlaybookLoader(BuiltIns.checkTypes()).load(new StringReader("playbook: fx\nvars: {dir: '" + work + "'}\n" + yaml), "fx.yaml",
                new PlaybookLoader.Options(target, Map.of(), Interpolator.External.RESOLVE, k -> null, new Secrets()));
    }

    private static FixResult run(Playbook pb, String fix, Target target, boolean dryRun, Path work) {
        FixRunner.Options options = new FixRunner.Options(dryRun, 1, work.resolve("fix.lock").toString(), "tester@test", Duration.ofSeconds(10));
        return new FixRunner(BuiltIns.hostConnectors(), new Secrets(), "test").run(pb, pb.fix(fix).orElseThrow(), target, options, plan -> true, FixListener.NONE);
    }

    private static final String UNIT = """
            checks:
              - id: auto-restart
                phase: p0
                file: ${dir}/tria-aibpo.service
                expect: {matches: ['^Restart=always$', '^RestartSec=10$']}
                fix: auto-restart
            fixes:
              - id: auto-restart
                steps:
                  - run: |
                      f=${dir}/tria-aibpo.service
                      cp -p "$f" "$f.bak"
                      sed -i -e '/^Restart=/d' -e '/^RestartSec=/d' -e 's/^\\[Service\\]$/[Service]\\nRestart=always\\nRestartSec=10/' "$f"
            """;

    @Test
    void aFixThatEditsASystemdUnitMakesTheFileCheckPass() throws Exception {
        Path work = Files.createDirectories(dir.resolve("unit"));
        Files.writeString(work.resolve("tria-aibpo.service"), "[Unit]\nDescription=TRIA\n\n[Service]\nExecStart=/usr/bin/true\nRestart=no\n");
        Target t = target("srv-1");
        FixResult r = run(playbook(UNIT, work, t), "auto-restart", t, false, work);
        assertThat(r.status()).as(r.message()).isEqualTo(FixStatus.FIXED);
        assertThat(r.before()).containsEntry("auto-restart", Outcome.FAIL);
        assertThat(r.after()).containsEntry("auto-restart", Outcome.PASS);
        assertThat(Files.readString(work.resolve("tria-aibpo.service"))).contains("[Service]\nRestart=always\nRestartSec=10\nExecStart").doesNotContain("Restart=no");
        assertThat(work.resolve("fix.lock/fix.auto-restart")).as("the host lock is released").doesNotExist();
    }

    @Test
    void dryRunLeavesTheCanaryUntouched() throws Exception {
        Path work = Files.createDirectories(dir.resolve("dry"));
        String canary = "[Service]\nExecStart=/usr/bin/true\n";
        Files.writeString(work.resolve("tria-aibpo.service"), canary);
        Target t = target("srv-1");
        FixResult r = run(playbook(UNIT, work, t), "auto-restart", t, true, work);
        assertThat(r.status()).isEqualTo(FixStatus.DRY_RUN);
        assertThat(Files.readString(work.resolve("tria-aibpo.service"))).isEqualTo(canary);
        assertThat(work.resolve("tria-aibpo.service.bak")).doesNotExist();
    }

    @Test
    void aFailingStepStopsTheFixAndTheRollbackRuns() throws Exception {
        Path work = Files.createDirectories(dir.resolve("rollback"));
        Target t = target("srv-1");
        Playbook pb = playbook("""
                checks:
                  - {id: deployed, phase: p0, file: '${dir}/deployed', fix: deploy}
                fixes:
                  - id: deploy
                    steps:
                      - run: "touch ${dir}/step1"
                      - run: "echo disk full >&2; exit 3"
                      - run: "touch ${dir}/deployed"
                    rollback:
                      - run: "rm -f ${dir}/step1 && touch ${dir}/rolled-back"
                """, work, t);
        FixResult r = run(pb, "deploy", t, false, work);
        assertThat(r.status()).isEqualTo(FixStatus.FIX_ERROR);
        assertThat(r.message()).contains("step 2").contains("failed on srv-1: exit 3: disk full").endsWith("rollback ran");
        assertThat(work.resolve("deployed")).doesNotExist();
        assertThat(work.resolve("step1")).doesNotExist();
        assertThat(work.resolve("rolled-back")).exists();
    }

    @Test
    void aGroupOfThreeHostsStopsAtTheFirstHostThatFails() throws Exception {
        Path work = Files.createDirectories(dir.resolve("group"));
        Target t = target("web-1", "web-2", "web-3");
        Playbook pb = playbook("""
                checks:
                  - {id: marker, phase: p0, file: '${dir}/never', fix: roll}
                fixes:
                  - id: roll
                    steps:
                      - run: "n=$(cat ${dir}/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${dir}/n; echo host$n >> ${dir}/applied; [ $n -lt 2 ]"
                """, work, t);
        FixResult r = run(pb, "roll", t, false, work);
        assertThat(r.status()).isEqualTo(FixStatus.FIX_ERROR);
        assertThat(Files.readAllLines(work.resolve("applied"))).as("web-3 is never touched").containsExactly("host1", "host2");
        assertThat(r.message()).contains("failed on web-2").endsWith("not applied to web-3");
        assertThat(r.steps()).extracting(StepLog::host).containsExactly("web-1", "web-2");
    }

    @Test
    void cancellingAnSshStepStopsWaitingForItAndReleasesTheLock() throws Exception {
        Path work = Files.createDirectories(dir.resolve("cancel"));
        Target t = target("srv-1");
        Playbook pb = playbook("""
                checks:
                  - {id: marker, phase: p1, file: '${dir}/marker', fix: slow}
                fixes:
                  - id: slow
                    steps: [{run: "echo started > ${dir}/started; sleep 20; touch ${dir}/marker", timeout: 60s}]
                """, work, t);
        FixRunner.Options options = new FixRunner.Options(false, 1, work.resolve("fix.lock").toString(), "tester@test", Duration.ofSeconds(10));
        FixRunner runner = new FixRunner(BuiltIns.hostConnectors(), new Secrets(), "test");
        java.util.concurrent.CompletableFuture<FixResult> f = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> runner.run(pb, pb.fix("slow").orElseThrow(), t, options, plan -> true, FixListener.NONE));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.exists(work.resolve("started")) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(work.resolve("started")).exists();
        long t0 = System.nanoTime();
        runner.cancel();
        FixResult r = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("not waited for the 20 s step").isLessThan(10_000);
        assertThat(r.status()).as(r.message()).isEqualTo(FixStatus.INTERRUPTED);
        assertThat(work.resolve("fix.lock/fix.slow")).as("the lock is released over the same connection").doesNotExist();
    }
}

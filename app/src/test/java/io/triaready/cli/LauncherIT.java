package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher ./tria-ready and the start-up archive the build made (app/src/cds/train.sh), on the
 * packaged jar: this class runs after {@code package} (surefire's integration-test execution in
 * app/pom.xml). The launcher runs the JVM of this test (JAVA_HOME), which is the one that ran Maven.
 */
class LauncherIT {
    private static final Path APP = Path.of(System.getProperty("user.dir"));
    private static final Path REPO = APP.getParent();
    private static final Path JAR = APP.resolve("target/tria-ready.jar");
    private static final String JAVA_HOME = System.getProperty("java.home");

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    @Test
    void versionAndValidateRunWithAndWithoutTheArchive() throws Exception {
        for (Map<String, String> env : List.of(Map.of("TRIA_READY_NO_CDS", "1"), Map.<String, String>of())) {
            Run version = launcher(env, "--version");
            assertThat(version.exit()).as(env + " " + version.err()).isZero();
            assertThat(version.out()).startsWith("tria-ready ").contains("Java " + System.getProperty("java.version"));
            assertThat(version.err()).as("no JVM warnings").isEmpty();

            Run validate = launcher(env, "validate", REPO.resolve("bench/suite.yaml").toString());
            assertThat(validate.exit()).as(env + " " + validate.err()).isZero();
            assertThat(validate.out()).contains("ok    ").contains("40 checks");
            assertThat(validate.err()).isEmpty();
        }
    }

    @Test
    void theLauncherLoadsTheCommandsFromTheArchiveTheBuildMadeForThisJvm() throws Exception {
        if (Boolean.getBoolean("tria-ready.skipCds")) return;   // -DskipCds: no archive to look at
        boolean aot = Runtime.version().feature() >= 25;
        Path archive = APP.resolve(aot ? "target/tria-ready.aot" : "target/tria-ready.jsa");
        assertThat(archive).as("made by train.sh at package; its line in the build log says why not").exists();
        assertThat(Path.of(archive + ".java")).hasContent(marker());

        // AOTMode=on / Xshare:on: the JVM refuses to start rather than run without the archive
        String strict = aot ? "-XX:AOTMode=on" : "-Xshare:on";
        Run run = launcher(Map.of("JAVA_OPTS", strict + " -Xlog:class+load=info"), "validate", REPO.resolve("bench/suite.yaml").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("io.triaready.cli.ValidateCommand source: shared objects file").contains("ok    ");
        // JDK 17's static archive takes picocli's version-49 class files (a dynamic one, or JDK 25's AOT cache, does not)
        if (!aot) assertThat(run.out()).contains("picocli.CommandLine$Model$CommandSpec source: shared objects file");
    }

    @Test
    void anArchiveForAnotherJvmOrAnOlderJarIsLeftOutSilently() throws Exception {
        Path jar = Files.copy(JAR, dir.resolve("tria-ready.jar"));
        String kind = Runtime.version().feature() >= 25 ? "aot" : "jsa";
        String flag = kind.equals("aot") ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
        Path archive = Files.writeString(dir.resolve("tria-ready." + kind), "not an archive");
        Path marker = dir.resolve("tria-ready." + kind + ".java");
        Map<String, String> env = Map.of("TRIA_READY_JAR", jar.toString(), "JAVA_OPTS", "-XX:+PrintCommandLineFlags");

        Files.writeString(marker, "/nonexistent/bin/java\n" + Runtime.version() + "\n");
        assertThat(launcher(env, "--version").out()).startsWith("-XX:").doesNotContain(flag).contains("tria-ready ");

        Files.writeString(marker, marker());
        Files.setLastModifiedTime(marker, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        assertThat(launcher(env, "--version").out()).as("jar newer than the archive").doesNotContain(flag);

        Files.setLastModifiedTime(marker, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        Run used = launcher(env, "--version");
        assertThat(used.out()).contains(flag + archive);
        // the JVM cannot use this "archive": it runs without, and says nothing
        assertThat(used.exit()).isZero();
        assertThat(used.err()).isEmpty();
        assertThat(used.out()).contains("tria-ready ").doesNotContain("warning").doesNotContain("error");

        assertThat(launcher(Map.of("TRIA_READY_JAR", jar.toString(), "JAVA_OPTS", "-XX:+PrintCommandLineFlags", "TRIA_READY_NO_CDS", "1"), "--version").out())
                .doesNotContain(flag);
    }

    /** What train.sh writes next to an archive for the JVM of this test. */
    private static String marker() throws IOException {
        String version = Files.readAllLines(Path.of(JAVA_HOME, "release")).stream()
                .filter(l -> l.startsWith("JAVA_RUNTIME_VERSION=")).map(l -> l.substring(l.indexOf('=') + 1).replace("\"", "")).findFirst().orElse("");
        return Path.of(JAVA_HOME, "bin", "java").toRealPath() + "\n" + version + "\n";
    }

    @Test
    void trainingFallsBackToOfflineWithoutSshdAndStillExitsZero() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Run r = run(List.of("bash", APP.resolve("src/cds/train.sh").toString(), JAVA_HOME, JAR.toString(), out.toString()),
                Map.of("TRIA_READY_TRAIN_SSHD", "/nonexistent/sshd", "TRIA_READY_TRAIN_PYTHON", "/nonexistent/python3"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(1);
        assertThat(r.out()).contains("trained offline").contains("no /nonexistent/sshd").contains("no /nonexistent/python3")
                .contains("training audit:");
        assertThat(out.resolve(Runtime.version().feature() >= 25 ? "tria-ready.aot" : "tria-ready.jsa")).exists();
        try (var files = Files.walk(out)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("hs_err"))).isEmpty();
        }
    }

    private Run launcher(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(REPO.resolve("tria-ready").toString());
        command.addAll(List.of(args));
        return run(command, env);
    }

    private Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("TRIA_READY_NO_CDS");
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("TRIA_READY_JAR");
        pb.environment().put("JAVA_HOME", JAVA_HOME);
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // a guard against a hung process, not a timing assertion
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish: " + command);
        }
        return new Run(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
    }
}

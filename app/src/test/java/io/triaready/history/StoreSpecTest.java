package io.triaready.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSpecTest {
    @TempDir
    Path dir;

    private static StoreSpec resolve(String flag, Map<String, String> env) {
        return StoreSpec.resolve(flag, env::get);
    }

    @Test
    void theDefaultIsTheXdgStateDirectory() {
        assertThat(resolve(null, Map.of("XDG_STATE_HOME", "/var/state", "HOME", "/home/ana")))
                .isEqualTo(new StoreSpec.Directory(Path.of("/var/state/tria-ready")));
        assertThat(resolve(null, Map.of("HOME", "/home/ana"))).isEqualTo(new StoreSpec.Directory(Path.of("/home/ana/.local/state/tria-ready")));
        assertThat(resolve(null, Map.of("XDG_STATE_HOME", "relative/dir", "HOME", "/home/ana")))
                .as("a relative XDG_STATE_HOME is ignored, as the spec says").isEqualTo(new StoreSpec.Directory(Path.of("/home/ana/.local/state/tria-ready")));
    }

    @Test
    void theFlagWinsOverTheEnvironmentWhichWinsOverTheDefault() {
        Map<String, String> env = new HashMap<>(Map.of("XDG_STATE_HOME", "/var/state", "HOME", "/home/ana", "TRIA_READY_STORE", "/srv/history"));
        assertThat(resolve(null, env)).isEqualTo(new StoreSpec.Directory(Path.of("/srv/history")));
        assertThat(resolve(dir.toString(), env)).isEqualTo(new StoreSpec.Directory(dir));
        assertThat(resolve("~/h", env)).isEqualTo(new StoreSpec.Directory(Path.of("/home/ana/h")));
        env.put("TRIA_READY_STORE", "jdbc:postgresql://db.internal/tria?user=tria");
        assertThat(resolve(null, env)).isInstanceOf(StoreSpec.Postgres.class);
    }

    @Test
    void mistakesAreOneLineNamingWhereTheValueCameFrom() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Map<String, String> env = Map.of("HOME", "/home/ana");
        assertThatThrownBy(() -> resolve("jdbc:mysql://db/x", env)).hasMessage("--store jdbc:mysql://db/x: only PostgreSQL is supported (jdbc:postgresql://HOST[:PORT]/DATABASE)");
        assertThatThrownBy(() -> resolve("postgres://db/x", env)).hasMessageContaining("write PostgreSQL stores as jdbc:postgresql://");
        assertThatThrownBy(() -> resolve("s3://bucket/x", env)).hasMessageContaining("unsupported store");
        assertThatThrownBy(() -> resolve("jdbc:postgresql:", env)).hasMessageContaining("not a valid PostgreSQL URL");
        assertThatThrownBy(() -> resolve("jdbc:postgresql://db:notaport/x", env)).hasMessageContaining("not a valid PostgreSQL URL");
        assertThatThrownBy(() -> resolve("jdbc:postgresql://db/x?password=${env:NOPE}", env))
                .hasMessage("--store jdbc:postgresql://db/x?password=******: environment variable 'NOPE' is not set");
        assertThatThrownBy(() -> resolve("jdbc:postgresql://db/x?password=${file:/etc/pw}", env)).hasMessageContaining("only ${env:NAME}");
        assertThatThrownBy(() -> resolve(file.toString(), env)).hasMessage("--store " + file + ": not a directory");
        assertThatThrownBy(() -> resolve(null, Map.of("TRIA_READY_STORE", "jdbc:oracle:thin:@x")))
                .hasMessageStartingWith("TRIA_READY_STORE=jdbc:oracle:thin:@x: only PostgreSQL");
        assertThatThrownBy(() -> resolve("jdbc:postgresql://db:bad/x?user=u&password=hunter22", env))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter22"));
    }
}

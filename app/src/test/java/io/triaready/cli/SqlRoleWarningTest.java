package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An audit whose database role can do more than read says so once, on stderr, however many sql checks use it. */
class SqlRoleWarningTest {
    @TempDir
    Path dir;

    @Test
    void aSuperuserRoleIsOneWarningLine() throws Exception {
        String db = "{url: 'jdbc:postgresql://127.0.0.1:5432/postgres', user: postgres";
        Path pb = dir.resolve("pb.yaml");
        Files.writeString(pb, """
                playbook: sql-role
                checks:
                  - {id: one, phase: p0, sql: %1$s, query: 'SELECT 1'}, expect: {equals: 1}}
                  - {id: two, phase: p0, sql: %1$s, query: 'SELECT 2'}, expect: {equals: 2}}
                  - {id: refused, phase: p1, sql: %1$s, query: 'SELECT pg_reload_conf()'}, expect: {equals: true}}
                """.formatted(db));
        Cli r = Cli.run("audit", "-p", pb.toString(), "--no-color", "--no-store");
        assertThat(r.exit()).as(r.err() + r.out()).isEqualTo(1); // the refused check is an ERROR
        assertThat(r.err().lines().filter(l -> l.startsWith("tria-ready: warning: ")).toList()).singleElement().asString()
                .isEqualTo("tria-ready: warning: the postgres endpoint's role 'postgres' is a superuser: an audit refuses the SQL it can see"
                        + " would change the server, but a function, view or operator defined on the target runs with these powers;"
                        + " give the audit a read-only role (pg_read_all_data and pg_monitor: docs/reference/sql.md)");
        assertThat(r.out()).contains("refused: pg_reload_conf signals the server");
    }
}

package io.triaready.transport.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class PgUrlTest {
    @Test
    void jdbcUrls() {
        PgUrl u = PgUrl.parse("jdbc:postgresql://db.example.com:6543/tria?sslmode=require");
        assertThat(u.host()).isEqualTo("db.example.com");
        assertThat(u.port()).isEqualTo(6543);
        assertThat(u.database()).isEqualTo("tria");
        assertThat(u.jdbc(null)).isEqualTo("jdbc:postgresql://db.example.com:6543/tria?sslmode=require");
        assertThat(u.jdbc(new InetSocketAddress("127.0.0.1", 40001))).isEqualTo("jdbc:postgresql://127.0.0.1:40001/tria?sslmode=require");
        assertThat(u.display()).isEqualTo("db.example.com:6543/tria");

        assertThat(PgUrl.parse("jdbc:postgresql://127.0.0.1/tria").port()).isEqualTo(5432);
        assertThat(PgUrl.parse("jdbc:postgresql:tria").host()).isEqualTo("localhost");
        PgUrl multi = PgUrl.parse("jdbc:postgresql://a:5432,b:5433/tria");
        assertThat(multi.host()).isEqualTo("a");
        assertThat(multi.jdbc(null)).isEqualTo("jdbc:postgresql://a:5432,b:5433/tria");
        PgUrl v6 = PgUrl.parse("jdbc:postgresql://[::1]:5433/tria");
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.port()).isEqualTo(5433);
        assertThat(v6.display()).isEqualTo("[::1]:5433/tria");
    }

    @Test
    void databaseUrlFormCarriesUserAndPassword() {
        PgUrl u = PgUrl.parse("postgresql://tria:p%40ss@10.0.0.5:5432/tria_prod?sslmode=require");
        assertThat(u.user()).isEqualTo("tria");
        assertThat(u.password()).isEqualTo("p@ss");
        assertThat(u.jdbc(null)).isEqualTo("jdbc:postgresql://10.0.0.5:5432/tria_prod?sslmode=require");
        assertThat(u.display()).doesNotContain("p@ss");
        assertThat(PgUrl.parse("postgres://localhost/x").user()).isNull();
    }

    @Test
    void passwordsInJdbcUrlsAreMasked() {
        io.triaready.base.secret.Secrets secrets = new io.triaready.base.secret.Secrets();
        assertThat(secrets.mask("jdbc:postgresql://db:5432/tria?user=tria&password=hunter22&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/tria?user=tria&password=******&ssl=true");
        assertThat(secrets.mask("postgres://tria:hunter22@db:5432/tria")).isEqualTo("postgres://tria:******@db:5432/tria");
        assertThat(secrets.mask("redis://:hunter22@cache:6379/0")).isEqualTo("redis://:******@cache:6379/0");
    }

    @Test
    void badUrls() {
        assertThatThrownBy(() -> PgUrl.parse("mysql://x/y")).hasMessageContaining("not a PostgreSQL URL");
        assertThatThrownBy(() -> PgUrl.parse("jdbc:postgresql://h:99999/x")).hasMessage("invalid port '99999'");
    }

    @Test
    void statementSplitting() {
        assertThat(SqlText.secondStatementAt("SELECT 1")).isZero();
        assertThat(SqlText.secondStatementAt("SELECT 1;")).isZero();
        assertThat(SqlText.secondStatementAt("SELECT 1; -- trailing comment")).isZero();
        assertThat(SqlText.secondStatementAt("SELECT 1; /* c */ ;")).isZero();
        assertThat(SqlText.secondStatementAt("SELECT 1; SELECT 2")).isEqualTo(9);
        assertThat(SqlText.secondStatementAt("SELECT ';' ; DELETE FROM t")).isEqualTo(12);
        assertThat(SqlText.secondStatementAt("SELECT 'it''s;' AS a")).isZero();
        assertThat(SqlText.secondStatementAt("SELECT E'\\';' AS a")).isZero();
        assertThat(SqlText.secondStatementAt("SELECT \"we;ird\" FROM t")).isZero();
        assertThat(SqlText.secondStatementAt("SELECT $$;$$, $tag$ ; $$ ; $tag$")).isZero();
        assertThat(SqlText.secondStatementAt("SELECT $1; SELECT 2")).isEqualTo(10);
        assertThat(SqlText.secondStatementAt("SELECT 1 /* ; /* nested ; */ ; */")).isZero();
        assertThat(SqlText.secondStatementAt("SELECT 1 -- ;\n; UPDATE t SET a = 1")).isEqualTo(15);
        assertThat(SqlText.stripTrailingSemicolons(" SELECT 1 ; ; ")).isEqualTo("SELECT 1");
    }
}

package io.triaready.base.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.Problems;
import io.triaready.base.yaml.YNode;
import org.junit.jupiter.api.Test;

class SecretsTest {
    private static final String S = "Tok en&+=/<\"x>9";

    private static Secrets of(String... values) {
        Secrets s = new Secrets();
        for (String v : values) s.add(v);
        return s;
    }

    @Test
    void everyDerivedFormIsMasked() {
        Secrets s = of(S);
        String pct = URLEncoder.encode(S, StandardCharsets.UTF_8);
        String[] forms = {
            S, S.toLowerCase(), S.toUpperCase(),
            pct, pct.toLowerCase(), pct.replace("+", "%20"),
            "Tok%20en%26%2b%3d/%3c%22x%3e9", // mixed: lower hex, a slash left alone
            S.replace("\"", "\\\""), S.replace("\"", "\\u0022").replace("<", "\\u003c"),
            S.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;"),
            S.replace("&", "&#38;").replace("<", "&#x3C;").replace("\"", "&#34;"),
            S.replace("&", "\\&").replace("<", "\\<"),
        };
        for (String f : forms) assertThat(s.mask("before " + f + " after")).as(f).isEqualTo("before ****** after");
        byte[] b = S.getBytes(StandardCharsets.UTF_8);
        for (String prefix : new String[] {"", "u:", "us:"}) {
            byte[] all = (prefix + S).getBytes(StandardCharsets.UTF_8);
            String b64 = Base64.getEncoder().encodeToString(all);
            assertThat(s.mask("Authorization: Basic " + b64)).as(prefix).contains(Secrets.MASK).doesNotContain(b64.substring(4, b64.length() - 4));
            String url = Base64.getUrlEncoder().encodeToString(all);
            assertThat(s.mask(url)).as(prefix).contains(Secrets.MASK);
        }
        assertThat(b.length).isPositive();
        assertThat(s.mask("nothing secret here: Tok en+")).isEqualTo("nothing secret here: Tok en+");
    }

    @Test
    void aLongSecretIsMaskedInItsWholeForms() {
        String key = "-----BEGIN KEY-----\n" + "QUJDRGVmZ2hpams=&x".repeat(200) + "\n-----END KEY-----";
        Secrets s = of(key);
        String text = "x".repeat(100_000) + " " + key + " / " + URLEncoder.encode(key, StandardCharsets.UTF_8).toLowerCase()
                + " / " + key.replace("\n", "\\n").toUpperCase() + " / " + key.replace("&", "&amp;");
        assertThat(s.mask(text)).endsWith(" ****** / ****** / ****** / ******");
    }

    @Test
    void fragmentsEchoedFromAQueryAreMasked() {
        Secrets s = of("hunter2horse");
        String sql = "SELECT 1 FROM t WHERE a = hunter2horse";
        // PostgreSQL folds the identifier and quotes only the token it stopped at
        assertThat(s.maskEcho("column \"hunter2horse\" does not exist", sql)).isEqualTo("column \"******\" does not exist");
        assertThat(s.maskEcho("syntax error at or near \"HORSE\"", sql)).isEqualTo("syntax error at or near \"******\"");
        assertThat(s.maskEcho("relation \"t\" does not exist", sql)).isEqualTo("relation \"t\" does not exist");
        // without a secret in the query nothing else is touched
        assertThat(s.maskEcho("syntax error at or near \"horse\"", "SELECT horse")).isEqualTo("syntax error at or near \"horse\"");
    }

    @Test
    void shortSecretsAreNotMaskedButWarnedWithTheirPosition() {
        Secrets s = new Secrets();
        Interpolator in = new Interpolator(Map.of(), s, Interpolator.External.RESOLVE, Map.of("PIN", "123", "TOKEN", "long-enough")::get, "t");
        YNode node = YNode.parse(new java.io.StringReader("run: \"echo ${env:PIN} ${env:TOKEN}\"\n"), "playbook.yaml").get("run");
        assertThat(in.apply(node.text(), node, new Problems())).isEqualTo("echo 123 long-enough");
        assertThat(s.mask("pin 123 token long-enough")).isEqualTo("pin 123 token ******");
        assertThat(s.warnings()).singleElement().asString()
                .startsWith("playbook.yaml:1:12: ${env:PIN} is only 3 characters long: too short to be masked");
    }

    @Test
    void aSecretEqualToAPlainValueIsStillMaskedAndWarned() {
        Secrets s = new Secrets();
        s.add("deploy", "inventory.yaml:4:30: ${env:DB_PASSWORD}");
        s.checkCollisions(Map.of("Deploy", "the ssh user of host web-1", "web-1", "the host name"));
        assertThat(s.mask("ssh deploy@web-1")).isEqualTo("ssh ******@web-1");
        assertThat(s.warnings()).singleElement().asString()
                .isEqualTo("inventory.yaml:4:30: ${env:DB_PASSWORD} has the same value as the ssh user of host web-1: it is masked everywhere,"
                        + " so reports show ****** wherever the ssh user of host web-1 appears (use a different secret, or a plain value if it is not one)");
    }

    @Test
    void theMaskingWriterNeverCutsASecret() throws Exception {
        StringWriter sink = new StringWriter();
        try (MaskingWriter w = new MaskingWriter(sink, of("abcdefgh"))) {
            w.write("one abcd");
            w.write("efgh two\nthree ");
            assertThat(sink.toString()).isEqualTo("one ****** two\n");
            w.write("ABCDEFGH");
        }
        assertThat(sink.toString()).isEqualTo("one ****** two\nthree ******");
    }
}

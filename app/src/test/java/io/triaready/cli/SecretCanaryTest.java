package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import io.triaready.testing.Keys;
import io.triaready.testing.Sshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canary campaign: one canary per secret source ({@code ${env:}}, {@code ${file:}}, the inventory
 * passwords of PostgreSQL and Redis, the history store's password, the SSH key's passphrase, the sudo
 * password, an HTTP header), planted in every place a value can go (URL paths and queries, query maps,
 * headers, bodies, commands, sudo commands, file paths, titles, fix titles and steps, SQL, and back
 * from targets that echo them), through every output (six formats, {@code --verbose}, {@code --debug},
 * {@code TRIA_READY_TRACE=1}, the file and PostgreSQL history stores, fix records, {@code report}
 * re-renders, the fix plan) must show up in none of them in any form: raw, any letter case,
 * percent-encoded (upper and lower hex, {@code +} or {@code %20}), JSON-, HTML-, XML-escaped, base64,
 * nor as a fragment of 8 characters. And no canary on a command line on the target while it runs.
 */
class SecretCanaryTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path dir;
    static Sshd sshd;
    static HttpServer echo;
    static ServerSocket tarpit;
    static final List<Socket> held = new ArrayList<>();
    static String database;

    /** Each canary: a random core and characters every encoding changes. */
    static final Map<String, String> canaries = new LinkedHashMap<>();
    static Map<String, String> env;
    static Path playbook;
    static Path inventory;

    static String canary(String tag) {
        String abc = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder b = new StringBuilder("cNy").append(tag);
        for (int i = 0; i < 10; i++) b.append(abc.charAt(RANDOM.nextInt(abc.length())));
        b.append(" &+=%<\">/Zq");
        for (int i = 0; i < 4; i++) b.append(abc.charAt(RANDOM.nextInt(abc.length())));
        return b.toString();
    }

    @BeforeAll
    static void start() throws Exception {
        for (String k : List.of("ENV", "FILE", "HDR", "PG", "REDIS", "STORE", "PASS", "SUDO")) canaries.put(k, canary(k));

        // an HTTP server that echoes everything it received: request line, headers and body, in its body and a header
        echo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        echo.createContext("/", x -> {
            try (x) {
                StringBuilder b = new StringBuilder(x.getRequestMethod()).append(' ').append(x.getRequestURI().toString()).append('\n');
                x.getRequestHeaders().forEach((k, v) -> b.append(k).append(": ").append(String.join(", ", v)).append('\n'));
                b.append('\n').append(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
                x.getResponseHeaders().add("X-Echo", String.valueOf(x.getRequestURI().getRawQuery()));
                x.getResponseHeaders().add("X-Auth", String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
                x.sendResponseHeaders(500, body.length);
                x.getResponseBody().write(body);
            }
        });
        // a target that answers with control characters in its body and a header
        echo.createContext("/ctl", x -> {
            try (x) {
                byte[] body = "title\u001b]0;pwned\u0007 clear\u001b[2J nul\u0000 c1\u009b1m bidi\u202e end".getBytes(StandardCharsets.UTF_8);
                x.getResponseHeaders().add("X-Ctl", "a\u001b[2Jb\u0007");
                x.sendResponseHeaders(500, body.length);
                x.getResponseBody().write(body);
            }
        });
        echo.start();
        // a tarpit: accepts and never answers
        tarpit = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try {
                while (true) held.add(tarpit.accept());
            } catch (IOException closed) {
                // the test is over
            }
        }, "tarpit");
        t.setDaemon(true);
        t.start();

        Path key = Keys.keygen(dir.resolve("id_ecdsa"), "ecdsa", false, canaries.get("PASS"), "client");
        sshd = Sshd.builder(dir.resolve("sshd")).authorize(Keys.pub(key)).start();
        Path knownHosts = sshd.writeKnownHosts(dir.resolve("known_hosts"));

        database = "tria_canary_" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }

        Path secretFile = Files.writeString(dir.resolve("secret.txt"), canaries.get("FILE") + "\n");
        env = new HashMap<>();
        env.put("C_ENV", canaries.get("ENV"));
        env.put("C_HDR", canaries.get("HDR"));
        env.put("C_PG", canaries.get("PG"));
        env.put("C_REDIS", canaries.get("REDIS"));
        env.put("C_STORE", canaries.get("STORE"));
        env.put("C_PASS", canaries.get("PASS"));
        env.put("C_SUDO", canaries.get("SUDO"));
        env.put("HOME", dir.resolve("home").toString());
        env.put("USER", "canary-operator");

        String base = "http://127.0.0.1:" + echo.getAddress().getPort();
        inventory = Files.writeString(dir.resolve("targets.yaml"), "targets:\n  box:\n"
                + "    ssh: {host: " + sshd.host() + ", port: " + sshd.port() + ", user: root, identity: " + key + ", passphrase: \"${env:C_PASS}\","
                + " sudo_password: \"${env:C_SUDO}\", known_hosts: " + knownHosts + ", ssh_config: none}\n"
                + "    http: {base_url: \"" + base + "\"}\n"
                + "    postgres: {url: \"jdbc:postgresql://127.0.0.1:5432/" + database + "\", user: postgres, password: \"${env:C_PG}\"}\n"
                + "    redis: {url: \"redis://127.0.0.1:6379\", password: \"${env:C_REDIS}\"}\n");
        String f = "${file:" + secretFile + "}";
        Path procs = dir.resolve("cmdlines.txt");
        // every command that carries a secret also records every command line on the machine while it runs
        String snapshot = "cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\\\0' '\\\\n' >> " + procs + "; ";
        playbook = Files.writeString(dir.resolve("playbook.yaml"), "playbook: canary\ntitle: Canary campaign\nchecks:\n"
                + "  - id: http-everywhere\n    phase: p0\n    title: \"title ${env:C_ENV}\"\n"
                + "    http:\n      url: \"${http.base_url}/p/${env:C_ENV}/" + f + "?q=${env:C_ENV}&r=" + f + "\"\n"
                + "      query: {k: \"${env:C_ENV}\", l: \"" + f + "\"}\n"
                + "      headers: {Authorization: \"Bearer ${env:C_HDR}\", X-File: \"" + f + "\"}\n"
                + "    expect: {status: 200}\n"
                + "  - id: http-body\n    phase: p0\n    title: \"" + f + "\"\n"
                + "    http: {url: \"${http.base_url}/b\", method: POST, body: \"${env:C_ENV} " + f + " ${env:C_HDR}\"}\n"
                + "    expect: {body: {not_contains: cNy}}\n"
                + "  - id: http-refused\n    phase: p0\n    http: \"http://127.0.0.1:1/${env:C_ENV}?a=" + f + "\"\n"
                + "  - id: http-tarpit\n    phase: p0\n    timeout: 600ms\n    http: \"http://127.0.0.1:" + tarpit.getLocalPort() + "/${env:C_ENV}?a=" + f + "\"\n"
                + "  - id: command-echo\n    phase: p0\n    title: \"run ${env:C_ENV}\"\n    fix: canary-fix\n"
                + "    command: \"" + snapshot.replace("\"", "\\\"") + "echo '${env:C_ENV}'; echo \\\"" + f.replace("\"", "\\\"") + "\\\" >&2; printf '%s' '${env:C_ENV}' | base64; printf '%s' '${env:C_ENV}' | od -c | head -3; exit 3\"\n"
                + "  - id: command-sudo\n    phase: p0\n"
                + "    command: {run: \"" + snapshot + "echo '${env:C_ENV}' " + f + "; id -u\", sudo: true}\n"
                + "    expect: {stdout: {contains: nothing-like-this}}\n"
                + "  - id: file-path\n    phase: p1\n    file: \"/tmp/none-${env:C_ENV}/" + f + "\"\n    expect: {type: file}\n"
                + "  - id: sql-echo\n    phase: p1\n    sql: \"SELECT '${env:C_ENV}' AS v, '" + f + "' AS w\"\n    expect: {equals: 1}\n"
                + "  - id: sql-syntax\n    phase: p1\n    sql: \"SELECT 1 FROM t WHERE a = ${env:C_ENV}\"\n    expect: {equals: 1}\n"
                + "  - id: sql-relation\n    phase: p1\n    sql: \"SELECT 1 FROM cNy${env:C_ENV}\"\n    expect: {equals: 1}\n"
                + "  - id: redis-ping\n    phase: p1\n    redis: {ping: true}\n"
                + "fixes:\n  - id: canary-fix\n    title: \"fix ${env:C_ENV} and " + f + "\"\n"
                + "    steps:\n      - run: \"" + snapshot + "echo '${env:C_ENV}'; echo '" + f + "' >&2\"\n"
                + "      - run: \"echo sudo '${env:C_ENV}'\"\n        sudo: true\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (echo != null) echo.stop(0);
        if (tarpit != null) tarpit.close();
        synchronized (held) {
            for (Socket s : held) s.close();
        }
        if (sshd != null) sshd.close();
        if (database != null) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    @Test
    void noCanaryLeavesInAnyFormAnywhere() throws Exception {
        Map<String, String> outputs = new LinkedHashMap<>();
        Path out = Files.createDirectories(dir.resolve("out"));
        Path fileStore = dir.resolve("store");
        String pgStore = "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres";
        List<String> common = List.of("-p", playbook.toString(), "-i", inventory.toString(), "-t", "box", "--verbose", "--debug", "--no-color");

        // in a process of its own (TRIA_READY_TRACE is read once per process): the file store, every
        // format to a file, JSON to stdout, verbose, debug, trace
        Map<String, String> traced = new HashMap<>(env);
        traced.put("TRIA_READY_TRACE", "1");
        List<String> args = new ArrayList<>(List.of("audit", "-f", "json"));
        args.addAll(common);
        for (String ext : List.of("json", "xml", "md", "html", "prom", "txt")) args.addAll(List.of("-o", out.resolve("report." + ext).toString()));
        args.addAll(List.of("--store", fileStore.toString()));
        outputs.put("TRIA_READY_TRACE=1 audit", subprocess(traced, args));
        // what the campaign relies on really happened: each check saw its canary and failed for it
        assertThat(Files.readString(out.resolve("report.json"))).contains("******").contains("\"http-tarpit\"");

        // the PostgreSQL store, its password a canary too
        Map<String, String> pgEnv = new HashMap<>(env);
        pgEnv.put("TRIA_READY_STORE", pgStore);
        pgEnv.put("TRIA_READY_STORE_PASSWORD", canaries.get("STORE"));
        args = new ArrayList<>(List.of("audit"));
        args.addAll(common);
        Cli pg = Cli.run(pgEnv, args.toArray(String[]::new));
        assertThat(pg.exit()).as(pg.err()).isEqualTo(1);
        assertThat(pg.err()).doesNotContain("not recorded");
        outputs.put("audit pg store", pg.out() + pg.err());

        // the fix: its plan, its run over SSH (a sudo step), its record in both stores
        Cli plan = Cli.run(env, "fix", "canary-fix", "--dry-run", "-p", playbook.toString(), "-i", inventory.toString(), "-t", "box");
        outputs.put("fix --dry-run", plan.out() + plan.err());
        assertThat(plan.out()).as(plan.err()).contains("fix ******");
        for (Map<String, String> e : List.of(env, pgEnv)) {
            List<String> fix = new ArrayList<>(List.of("fix", "canary-fix", "--yes", "-p", playbook.toString(), "-i", inventory.toString(), "-t", "box",
                    "--lock-dir", dir.resolve("fix.lock").toString())); // the host is this machine: no other test's lock
            if (e == env) fix.addAll(List.of("--store", fileStore.toString()));
            Cli applied = Cli.run(e, fix.toArray(String[]::new));
            outputs.put("fix --yes " + (e == env ? "file store" : "postgres store"), applied.out() + applied.err());
            assertThat(applied.out()).contains("step 2");
        }

        // re-renders of the stored runs, and history
        for (String store : List.of(fileStore.toString(), pgStore)) {
            Map<String, String> e = new HashMap<>(pgEnv);
            Cli h = Cli.run(e, "history", "-t", "box", "--store", store);
            outputs.put("history " + store, h.out() + h.err());
            Cli hj = Cli.run(e, "history", "-t", "box", "-f", "json", "--store", store);
            java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(hj.out());
            assertThat(id.find()).as(hj.out() + hj.err()).isTrue();
            for (String format : List.of("text", "json", "junit", "markdown", "html", "prometheus")) {
                Cli r = Cli.run(e, "report", id.group(1), "-f", format, "-v", "--store", store);
                assertThat(r.exit()).as(r.err()).isZero();
                outputs.put("report " + format + " " + store, r.out() + r.err());
            }
        }

        for (Path file : files(out)) outputs.put(file.toString(), Files.readString(file));
        for (Path file : files(fileStore)) outputs.put(file.toString(), Files.readString(file));
        outputs.put("postgres store", dump(database));

        List<String> leaks = new ArrayList<>();
        outputs.forEach((where, text) -> leaks.addAll(leaks(where, text)));
        assertThat(leaks).as("canaries found").isEmpty();
        assertThat(outputs.get("postgres store")).contains("canary-fix").contains("http-everywhere");

        // no canary on any command line on the target while the commands ran (they did run: their references are there)
        String cmdlines = Files.readString(dir.resolve("cmdlines.txt"));
        assertThat(cmdlines).contains("TRIA_SECRET_1");
        assertThat(leaks("command lines on the target", cmdlines)).isEmpty();
    }

    /** The detector itself sees every form it looks for (else the campaign could pass by seeing nothing). */
    @Test
    void theDetectorSeesEveryForm() {
        String c = canaries.get("ENV");
        byte[] bytes = c.getBytes(StandardCharsets.UTF_8);
        for (String form : List.of(c, c.toUpperCase(Locale.ROOT), URLEncoder.encode(c, StandardCharsets.UTF_8),
                URLEncoder.encode(c, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).replace("+", "%20"), c.replace("\"", "\\\""),
                c.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;"),
                "x" + Base64.getEncoder().encodeToString(bytes) + "x", c.substring(3, 11))) {
            assertThat(leaks("test", "some text " + form + " more")).as(form).isNotEmpty();
        }
        assertThat(leaks("test", "some text ****** more")).isEmpty();
    }

    /**
     * Control characters from a target (command output, a body, a header) reach no terminal: the text
     * report shows them as visible escapes, JUnit and HTML stay well-formed (xmllint), JSON escapes them.
     */
    @Test
    void controlCharactersFromTargetsAreShownEscaped() throws Exception {
        Path pb = Files.writeString(dir.resolve("controls.yaml"), "playbook: controls\ntitle: Controls\nchecks:\n"
                + "  - id: terminal-title\n    phase: p0\n    command: \"printf '\\\\033]0;pwned\\\\007\\\\033[2J'; printf 'err\\\\033[31m\\\\r' >&2; exit 1\"\n    expect: {exit_code: 1, stdout: {contains: nothing}}\n"
                + "  - id: body-and-header\n    phase: p0\n    http: \"http://127.0.0.1:" + echo.getAddress().getPort() + "/ctl\"\n"
                + "    expect: {status: 200, body: {contains: nothing}, headers: {x-ctl: nothing}}\n"
                + "  - id: file-content\n    phase: p0\n    file: " + Files.writeString(dir.resolve("ctl.txt"), "x\u001b]0;pwned\u0007y") + "\n"
                + "    expect: {contains: nothing}\n");
        Path out = Files.createDirectories(dir.resolve("controls"));
        Cli r = Cli.run(env, "audit", "-p", pb.toString(), "--no-store", "--verbose", "--no-color", "-o", out.resolve("r.xml").toString(),
                "-o", out.resolve("r.html").toString(), "-o", out.resolve("r.json").toString(), "-o", out.resolve("r.md").toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("\\e]0;pwned\\a\\e[2J").contains("title\\e]0;pwned\\a").contains("a\\e[2Jb\\a")
                .contains("\\u009b1m").contains("\\u202e");
        for (char c : new char[] {0x1b, 0x07, 0x00, 0x9b, 0x202e, '\r'}) {
            assertThat(r.out().indexOf(c)).as("U+%04X in the text report", (int) c).isEqualTo(-1);
        }
        for (String f : List.of("r.xml", "r.html")) {
            Process x = new ProcessBuilder(f.endsWith("xml") ? List.of("xmllint", "--noout", f) : List.of("xmllint", "--html", "--noout", f))
                    .directory(out.toFile()).redirectErrorStream(true).start();
            String said = new String(x.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(x.waitFor()).as(f + ": " + said).isZero();
            if (f.endsWith("xml")) assertThat(said).isEmpty();
        }
        String json = Files.readString(out.resolve("r.json"));
        assertThat(json).contains("\\u001B]0;pwned\\u0007").doesNotContain("\u001b");
        assertThat(Files.readString(out.resolve("r.md"))).doesNotContain("\u001b").doesNotContain("\u0007");
    }

    /** A secret that would make the report unreadable is named before the run, with where it came from. */
    @Test
    void secretsThatHurtReadabilityAreWarnedAtLoad() throws Exception {
        Path pb = Files.writeString(dir.resolve("readable.yaml"), "playbook: readable\ntitle: Readable\nchecks:\n"
                + "  - id: disk-ok\n    phase: p0\n    command: \"echo ${env:PIN} ${env:SAME}\"\n");
        Map<String, String> e = new HashMap<>(env);
        e.put("PIN", "123");
        e.put("SAME", "disk-ok");
        Cli r = Cli.run(e, "audit", "-p", pb.toString(), "--no-store", "-v", "--no-color");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("tria-ready: warning: " + pb + ":6:20: ${env:PIN} is only 3 characters long: too short to be masked")
                .contains("tria-ready: warning: " + pb + ":6:31: ${env:SAME} has the same value as the id of check disk-ok: it is masked everywhere");
        assertThat(r.out()).as("the check id is masked, as the warning said").contains("PASS    ******");
    }

    /** Every form of every canary found in {@code text}. */
    static List<String> leaks(String where, String text) {
        List<String> found = new ArrayList<>();
        String folded = text.toLowerCase(Locale.ROOT);
        canaries.forEach((name, c) -> {
            Map<String, String> forms = new LinkedHashMap<>();
            forms.put("raw or case-folded", c.toLowerCase(Locale.ROOT));
            String form = URLEncoder.encode(c, StandardCharsets.UTF_8);
            forms.put("percent-encoded (+)", form.toLowerCase(Locale.ROOT));
            forms.put("percent-encoded (%20)", form.replace("+", "%20").toLowerCase(Locale.ROOT));
            forms.put("JSON-escaped", c.replace("\\", "\\\\").replace("\"", "\\\"").toLowerCase(Locale.ROOT));
            forms.put("JSON-escaped (unicode)", c.replace("\"", "\\u0022").replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").toLowerCase(Locale.ROOT));
            forms.put("HTML/XML-escaped", c.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").toLowerCase(Locale.ROOT));
            forms.put("HTML/XML-escaped (numeric)", c.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;").replace("\"", "&#34;").toLowerCase(Locale.ROOT));
            forms.forEach((kind, f) -> {
                if (folded.contains(f)) found.add(where + ": " + name + " " + kind);
            });
            byte[] bytes = c.getBytes(StandardCharsets.UTF_8);
            for (String b64 : List.of(Base64.getEncoder().withoutPadding().encodeToString(bytes), Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))) {
                if (text.contains(b64.substring(0, b64.length() - 2))) found.add(where + ": " + name + " base64");
            }
            // a fragment (PostgreSQL quotes the token it stopped at): any 8 characters in a row of the canary
            for (int i = 0; i + 8 <= c.length(); i++) {
                String frag = c.substring(i, i + 8);
                if (frag.equals(" &+=%<\">") || frag.equals("&+=%<\">/")) continue; // the same in every canary: not a leak by itself
                if (folded.contains(frag.toLowerCase(Locale.ROOT))) {
                    found.add(where + ": " + name + " fragment '" + frag + "' near: " + around(text, folded.indexOf(frag.toLowerCase(Locale.ROOT))));
                    break;
                }
            }
        });
        return found;
    }

    private static String around(String text, int i) {
        return text.substring(Math.max(0, i - 60), Math.min(text.length(), i + 60)).replace('\n', ' ');
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /** Every row of every table of the store's database, as text. */
    private static String dump(String db) throws Exception {
        StringBuilder b = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db + "?user=postgres"); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables"
                    + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')")) {
                while (r.next()) tables.add(r.getString(1));
            }
            for (String t : tables) {
                try (ResultSet r = s.executeQuery("SELECT x::text FROM " + t + " x")) {
                    while (r.next()) b.append(t).append(": ").append(r.getString(1)).append('\n');
                }
            }
        }
        return b.toString();
    }

    private static String subprocess(Map<String, String> environment, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.triaready.cli.Main"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(environment);
        pb.environment().put("PATH", System.getenv("PATH"));
        Process p = pb.start();
        byte[] output;
        try (OutputStream ignored = p.getOutputStream()) {
            output = p.getInputStream().readAllBytes();
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(text).as("the trace was printed").contains("trace:");
        return text;
    }
}

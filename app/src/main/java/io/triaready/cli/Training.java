package io.triaready.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The training run of the start-up archive (not a user command): app/src/cds/train.sh runs it in
 * the JVM that records which classes a run loads (JDK 17: {@code -XX:DumpLoadedClassList}, JDK 25+:
 * {@code -XX:AOTMode=record}). In one JVM it runs, through {@link TriaReady#run} as {@link Main}
 * does, the commands people start most: an audit of the training target (every report format),
 * {@code validate}, the help of the root and of audit, a mistake on the command line, and
 * {@code --version}. No terminal is used, and every file it writes is under the work directory.
 *
 * <p>Usage: {@code Training WORK_DIR PLAYBOOK INVENTORY}. Prints one line: how the audit went.
 * Exits 0 when every command ended with the exit code expected of it, else 1 (the caller still
 * makes the archive: it is only less complete).
 */
public final class Training {
    private Training() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: Training WORK_DIR PLAYBOOK INVENTORY");
            System.exit(ExitCodes.BAD_INPUT);
        }
        Path work = Path.of(args[0]);
        String playbook = args[1];
        String inventory = args[2];
        Files.createDirectories(work);
        List<String> unexpected = new ArrayList<>();

        run(work, "audit", ExitCodes.NOT_READY, unexpected, "audit", "-p", playbook, "-i", inventory, "-t", "training",
                "--store", work.resolve("store").toString(), "--no-color",
                "-o", work.resolve("report.json").toString(), "-o", work.resolve("report.xml").toString());
        run(work, "audit-json", ExitCodes.NOT_READY, unexpected, "audit", "-p", playbook, "-i", inventory, "-t", "training",
                "--no-store", "-f", "json", "--only", "health,echo,backups");
        run(work, "validate", ExitCodes.READY, unexpected, "validate", playbook, "-i", inventory);
        run(work, "help", ExitCodes.READY, unexpected, "--help");
        run(work, "audit-help", ExitCodes.READY, unexpected, "audit", "--help");
        run(work, "help-audit", ExitCodes.READY, unexpected, "help", "audit");
        run(work, "mistake", ExitCodes.BAD_INPUT, unexpected, "audti");
        run(work, "version", ExitCodes.READY, unexpected, "--version");

        String audit = summary(work.resolve("report.json"));
        System.out.println("training audit: " + audit + (unexpected.isEmpty() ? "" : "; unexpected exit codes: " + String.join(", ", unexpected)));
        System.exit(unexpected.isEmpty() ? 0 : 1);
    }

    /** One command as {@link Main} runs it (but without a terminal), its output kept in WORK/NAME.out and .err. */
    private static void run(Path work, String name, int expected, List<String> unexpected, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            rc = TriaReady.run(args, o, e, System::getenv, Optional::empty);
        }
        Files.write(work.resolve(name + ".out"), out.toByteArray());
        Files.write(work.resolve(name + ".err"), err.toByteArray());
        if (rc != expected) unexpected.add(name + " " + rc + " (expected " + expected + ")");
    }

    /** "12 passed, 1 failed: backups" from the JSON report; ERRORs are listed too (what did not connect). */
    private static String summary(Path json) {
        try {
            JsonNode report = new ObjectMapper().readTree(json.toFile());
            Map<String, List<String>> byStatus = new TreeMap<>();
            for (JsonNode c : report.path("checks")) {
                byStatus.computeIfAbsent(c.path("status").asText("?").toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>()).add(c.path("id").asText());
            }
            List<String> parts = new ArrayList<>();
            byStatus.forEach((status, ids) -> parts.add(ids.size() + " " + status + (status.equals("pass") ? "" : " (" + String.join(" ", ids) + ")")));
            return String.join(", ", parts);
        } catch (IOException | RuntimeException e) {
            return "no report (" + e.getMessage() + ")";
        }
    }
}

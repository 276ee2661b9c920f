package io.triaready.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;

import io.triaready.attest.Attestations;
import io.triaready.playbook.PlaybookException;
import io.triaready.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Records that a person signed off an attest check: who, when, for which target, until when. */
@Command(name = "attest", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Sign off an attest check (a criterion only a person can judge) in the attestations file.")
public final class AttestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CHECK", description = "The id of the attest check.")
    String check;

    @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who signs it off (a name or e-mail address).")
    String by;

    @Option(names = {"-t", "--target"}, paramLabel = "NAME", description = "Only for this target (default: every target).")
    String target;

    @Option(names = "--valid-for", paramLabel = "DURATION", description = "Expires after this long, e.g. 90d.")
    String validFor;

    @Option(names = "--note", paramLabel = "TEXT", description = "What was done, where the evidence is.")
    String note;

    @Option(names = "--attestations", paramLabel = "FILE", defaultValue = Attestations.DEFAULT_FILE,
            description = "The attestations file (default: ${DEFAULT-VALUE}).")
    Path file;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        if (!check.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) throw new UserError("invalid check id '" + check + "'");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate expires = null;
        if (validFor != null) {
            long days = Math.max(1, AuditCommand.duration("--valid-for", validFor, null).toDays());
            expires = today.plusDays(days);
        }
        try {
            Attestations.load(file); // refuse to append to a file that is already broken
        } catch (PlaybookException e) {
            throw e;
        }
        String existing = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        StringBuilder out = new StringBuilder(existing);
        if (existing.isBlank()) out.setLength(0);
        if (existing.isBlank()) out.append("# Sign-offs for attest checks: tria-ready attest CHECK --by NAME\nattestations:\n");
        else if (!existing.endsWith("\n")) out.append('\n');
        out.append("  - {check: ").append(check)
                .append(target == null ? "" : ", target: " + quote(target))
                .append(", by: ").append(quote(by))
                .append(", at: ").append(today)
                .append(expires == null ? "" : ", expires: " + expires)
                .append(note == null ? "" : ", note: " + quote(note))
                .append("}\n");
        ReportWriter.writeAtomically(file, out.toString());
        Attestations.load(file); // what we wrote must read back
        spec.commandLine().getOut().println("signed off " + check + (target == null ? "" : " for " + target) + " by " + by + " on " + today
                + (expires == null ? "" : ", valid until " + expires + " (" + java.time.temporal.ChronoUnit.DAYS.between(today, expires) + " days)")
                + " in " + file);
        return 0;
    }

    /** A YAML double-quoted scalar (JSON string escaping is valid YAML). */
    private static String quote(String s) {
        try {
            return io.triaready.json.Json.mapper().writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.triaready.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import io.triaready.base.json.Json;
import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.Suggest;
import io.triaready.checks.attest.Attestations;
import io.triaready.core.playbook.CheckDef;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.report.ReportWriter;
import io.triaready.spi.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Records that a person signed off an attest check: who, when, for which target, until when. The
 * check must be an attest check of the playbook, the target one of the inventory, and the person
 * named: a sign-off of nothing, or by nobody, must never count as a pass.
 */
@Command(name = "attest",
        description = {"Sign off an attest check (a criterion only a person can judge) in the attestations file.",
                "The file: --attestations FILE, else the target's vars tria.attestations in the inventory, else ./attestations.yaml.",
                "Exit codes: 0 signed off, 2 bad input (unknown check, not an attest check, unknown target, empty --by)."})
public final class AttestCommand extends Subcommand {
    @Parameters(paramLabel = "CHECK", description = "The id of the attest check (in the playbook given with -p, default ./playbook.yaml).")
    String check;

    @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who signs it off (a name or e-mail address).")
    String by;

    @Option(names = "--valid-for", paramLabel = "DURATION", description = "Expires after this long, e.g. 90d.")
    String validFor;

    @Option(names = "--note", paramLabel = "TEXT", description = "What was done, where the evidence is.")
    String note;

    /** -p, -t (only for this target; default: every target), -i, --attestations: the same options as audit. */
    @Mixin
    PlaybookOptions playbookOptions;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        if (by.isBlank()) throw new UserError("--by: say who signs it off (a name or e-mail address), not an empty value");
        if (by.chars().anyMatch(Character::isISOControl)) throw new UserError("--by: a name on one line, without control characters");
        if (!check.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) throw new UserError("invalid check id '" + check + "'");
        boolean forTarget = spec.commandLine().getParseResult().hasMatchedOption("--target");
        // the target is looked up in the inventory (an unknown one is an error); without -t the sign-off is for every target
        Target target = forTarget ? Loading.target(playbookOptions, Interpolator.External.PLACEHOLDER, new Secrets()) : null;
        Playbook playbook = Loading.playbook(playbookOptions, PlaybookLoader.Options.forValidate(target != null ? target : Target.local(),
                playbookOptions.varMap()));
        CheckDef def = playbook.check(check).orElseThrow(() -> new UserError("unknown check id '" + check + "' in playbook " + playbook.id()
                + Suggest.didYouMean(check, playbook.checks().stream().filter(c -> "attest".equals(c.type())).map(CheckDef::id).toList())
                + " (its attest checks: " + attestIds(playbook) + ")"));
        if (!"attest".equals(def.type())) {
            throw new UserError("check '" + check + "' is a " + def.type() + " check, which the audit observes: only attest checks are signed off"
                    + " (its attest checks: " + attestIds(playbook) + ")");
        }
        Path file = forTarget ? Path.of(target.vars().get(Attestations.TARGET_VAR))
                : Loading.attestationsFile(playbookOptions, Loading.inventoryPath(playbookOptions), null);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate expires = null;
        if (validFor != null) {
            long days = Math.max(1, AuditCommand.duration("--valid-for", validFor, null).toDays());
            expires = today.plusDays(days);
        }
        Attestations.load(file); // refuse to append to a file that is already broken
        String existing = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        StringBuilder out = new StringBuilder(existing);
        if (existing.isBlank()) out.setLength(0);
        if (existing.isBlank()) out.append("# Sign-offs for attest checks: tria-ready attest CHECK --by NAME\nattestations:\n");
        else if (!existing.endsWith("\n")) out.append('\n');
        out.append("  - {check: ").append(check)
                .append(target == null ? "" : ", target: " + quote(target.name()))
                .append(", by: ").append(quote(by.strip()))
                .append(", at: ").append(today)
                .append(expires == null ? "" : ", expires: " + expires)
                .append(note == null ? "" : ", note: " + quote(note))
                .append("}\n");
        ReportWriter.writeAtomically(file, out.toString());
        Attestations.load(file); // what we wrote must read back
        spec.commandLine().getOut().println("signed off " + check + " (" + playbook.id() + ")" + (target == null ? " for every target" : " for " + target.name())
                + " by " + by.strip() + " on " + today
                + (expires == null ? "" : ", valid until " + expires + " (" + java.time.temporal.ChronoUnit.DAYS.between(today, expires) + " days)")
                + " in " + file);
        return 0;
    }

    private static String attestIds(Playbook playbook) {
        List<String> ids = playbook.checks().stream().filter(c -> "attest".equals(c.type())).map(CheckDef::id).toList();
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }

    /** A YAML double-quoted scalar (JSON string escaping is valid YAML). */
    private static String quote(String s) {
        try {
            return Json.mapper().writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.triaready.checks.attest;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.PlaybookException;
import io.triaready.base.yaml.Problems;
import io.triaready.base.yaml.YNode;

/**
 * The sign-offs people made for what no machine can check ("team trained", "runbook reviewed"):
 * <pre>
 * attestations:
 *   - check: team-trained
 *     target: prod              # optional: any target when absent
 *     by: alice@example.com
 *     at: 2026-11-20
 *     expires: 2027-02-20       # optional
 *     note: Trained in the 2026-11-19 session
 * </pre>
 */
public record Attestations(String file, List<Entry> entries) {
    /** Where audits look when neither {@code --attestations} nor the target names a file: in the current directory. */
    public static final String DEFAULT_FILE = "attestations.yaml";
    /**
     * The target variable that names the file: set in the inventory ({@code vars: {tria.attestations: FILE}},
     * relative to the inventory file), and overridden by {@code --attestations FILE}. The CLI always
     * sets it to the absolute path it resolved, so checks and reports name the file they read.
     */
    public static final String TARGET_VAR = "tria.attestations";

    public record Entry(String check, String target, String by, LocalDate at, LocalDate expires, String note) {}

    public static Attestations load(Path path) throws IOException {
        if (!Files.exists(path)) return new Attestations(path.toString(), List.of());
        YNode root;
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            root = YNode.parse(r, path.toString());
        }
        Problems problems = new Problems();
        ParseContext ctx = new ParseContext(problems, Interpolator.none());
        Fields top = Fields.of(root, ctx, "the attestations file");
        List<Entry> entries = new ArrayList<>();
        YNode list = top.node("attestations");
        if (list == null) top.missing("attestations");
        else if (!list.isSeq()) ctx.problem(list, "'attestations' must be a list, got " + list.describe());
        else for (YNode n : list.items()) {
            Fields f = Fields.of(n, ctx, "attestation");
            String check = f.requiredString("check");
            String target = f.string("target").orElse(null);
            String by = f.requiredString("by");
            if (by != null && by.isBlank()) {
                // an empty sign-off is nobody's: it must never count as one
                ctx.problem(f.node("by"), "'by' must name who signed it off, got an empty value");
                by = null;
            }
            LocalDate at = date(f, "at", true, ctx);
            LocalDate expires = date(f, "expires", false, ctx);
            String note = f.string("note").orElse(null);
            f.finish();
            if (check != null && by != null && at != null) entries.add(new Entry(check, target, by, at, expires, note));
        }
        top.finish();
        problems.throwIfAny();
        return new Attestations(path.toString(), entries);
    }

    private static LocalDate date(Fields f, String key, boolean required, ParseContext ctx) {
        YNode n = f.node(key);
        if (n == null) {
            if (required) f.missing(key);
            return null;
        }
        try {
            return LocalDate.parse(String.valueOf(n.text()).trim());
        } catch (DateTimeParseException | NullPointerException e) {
            ctx.problem(n, "'" + key + "' must be a date like 2026-11-20");
            return null;
        }
    }

    /** The newest sign-off of {@code check} for {@code target}, expired or not. */
    public Optional<Entry> latest(String check, String target) {
        return entries.stream()
                .filter(e -> e.check().equals(check) && (e.target() == null || e.target().equals(target)))
                .max((a, b) -> a.at().compareTo(b.at()));
    }

    static String describe(PlaybookException e) { return e.problems().get(0).toString(); }
}

package io.triaready.truth;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.PlaybookException;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.spi.CheckTypes;
import io.triaready.spi.Target;

/**
 * What every registered check type must come with (docs/architecture.md, "Adding a check type"): a page
 * {@code docs/reference/<name>.md}, a row in the type table of {@code docs/playbook-reference.md}, a healthy
 * and a broken case in the truth matrix ({@link TruthTargets#cases(TruthTargets.Addresses)}, cells named
 * {@code <something>-healthy} / {@code -broken}), and a loader round trip: the truth cases load
 * through {@link PlaybookLoader}, and the type's first case written as a mapping, with an unknown key added,
 * fails with {@code file:line:column: unknown key ...} at that line.
 */
final class CheckTypeContract {
    static final String UNKNOWN_KEY = "tria_contract_unknown_key";

    private CheckTypeContract() {}

    /** Everything missing, one line per type and requirement; empty when every type keeps the contract. */
    static List<String> violations(CheckTypes types, Path repoRoot, List<TruthCase> cases) throws IOException {
        String table = typeTable(Files.readString(repoRoot.resolve("docs/playbook-reference.md"), StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        try {
            load(types, TruthMatrix.yaml(TruthMatrix.expand(cases, 1, List.of()))); // all at once, as the matrix runs them (depends_on between cases)
        } catch (PlaybookException e) {
            out.add("the truth cases do not load: " + e.getMessage());
        }
        for (String name : types.names()) {
            Path page = repoRoot.resolve("docs/reference/" + name + ".md");
            if (!Files.isRegularFile(page)) {
                out.add(name + ": no page docs/reference/" + name + ".md");
            } else if (!Files.readString(page, StandardCharsets.UTF_8).startsWith("# `" + name + "` check")) {
                out.add(name + ": docs/reference/" + name + ".md does not start with \"# `" + name + "` check\"");
            }
            if (!Pattern.compile("(?m)^\\| `" + Pattern.quote(name) + "` \\|.*\\]\\(reference/" + Pattern.quote(name) + "\\.md\\) \\|$").matcher(table).find()) {
                out.add(name + ": no row | `" + name + "` | ... | [" + name + "](reference/" + name + ".md) | in the type table of docs/playbook-reference.md");
            }
            List<TruthCase> mine = cases.stream().filter(c -> c.type().equals(name)).toList();
            if (mine.stream().noneMatch(c -> c.cell().endsWith("-healthy"))) out.add(name + ": no healthy case (cell *-healthy) in the truth matrix (TruthTargets.cases)");
            if (mine.stream().noneMatch(c -> c.cell().endsWith("-broken"))) out.add(name + ": no broken case (cell *-broken) in the truth matrix (TruthTargets.cases)");
            out.addAll(roundTrip(types, name, mine));
        }
        return out;
    }

    /** The section "### Check types" of the playbook reference, up to the next heading. */
    static String typeTable(String reference) {
        int start = reference.indexOf("\n### Check types\n");
        if (start < 0) return "";
        int end = reference.indexOf("\n#", start + 1);
        return reference.substring(start, end < 0 ? reference.length() : end);
    }

    /** The first case of the type written as a mapping, alone and with an unknown key added: the loader must name it. */
    private static List<String> roundTrip(CheckTypes types, String name, List<TruthCase> mine) {
        List<String> out = new ArrayList<>();
        TruthCase mapping = mine.stream().filter(c -> c.body().startsWith(name + ": {")).findFirst().orElse(null);
        if (mapping == null) {
            out.add(name + ": no truth case written as a mapping (" + name + ": {...}), so no unknown-key round trip");
            return out;
        }
        String body = mapping.body().replaceFirst(Pattern.quote(name + ": {"), name + ": {" + UNKNOWN_KEY + ": 1, ")
                .replaceAll("\ndepends_on: [^\n]*", "");
        int line = 5; // playbook:, checks:, - id:, phase:, then the body's first line
        try {
            load(types, TruthMatrix.yaml(List.of(TruthCase.pass("contract", "-", body.replace("{{copy}}", "")))));
            out.add(name + ": an unknown key in " + mapping.id() + " loads without a problem");
        } catch (PlaybookException e) {
            if (!Pattern.compile("(?m)^contract\\.yaml:" + line + ":\\d+: unknown key '" + UNKNOWN_KEY + "'").matcher(e.getMessage()).find()) {
                out.add(name + ": an unknown key in " + mapping.id() + " is not reported as contract.yaml:" + line + ":COLUMN: unknown key '"
                        + UNKNOWN_KEY + "' but as: " + e.getMessage());
            }
        }
        return out;
    }

    private static void load(CheckTypes types, String yaml) {
        Target target = new Target("contract", List.of(), Map.of(), Map.of());
        new PlaybookLoader(types).load(new StringReader(yaml), "contract.yaml",
                new PlaybookLoader.Options(target, Map.of(), Interpolator.External.RESOLVE, k -> null, new Secrets()));
    }
}

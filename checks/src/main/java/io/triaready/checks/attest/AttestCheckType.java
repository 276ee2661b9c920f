package io.triaready.checks.attest;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import io.triaready.base.yaml.Durations;
import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.PlaybookException;
import io.triaready.base.yaml.YNode;
import io.triaready.checks.support.DeclaredCheckType;
import io.triaready.checks.support.TargetProbe;
import io.triaready.core.expect.Missing;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Facts;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;

/**
 * {@code attest: "The support team is trained on the runbook"}: a criterion only a person can
 * judge. It passes when someone signed it off for this target in the attestations file (see
 * {@link Attestations}) and the sign-off has not expired (nor is older than {@code max_age}).
 * Facts: attested (primary), by, at, expires, age_days, days_left. Default: {@code attested: true}.
 */
public final class AttestCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("attested", "attested", "by", "at", "expires", "age_days", "days_left", "note")
            .withDefault("attested: true");

    public AttestCheckType() { super("attest", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        if (spec.isScalar()) {
            String statement = scalar(spec, ctx);
            if (statement == null || statement.isBlank()) {
                needs(spec, ctx, "the statement a person signs off, e.g. attest: \"Runbook reviewed by on-call\"");
                return null;
            }
            return new AttestProbe(statement, null);
        }
        Fields f = fields(spec, ctx);
        String statement = f.requiredString("statement");
        Duration maxAge = f.duration("max_age").orElse(null);
        f.finish();
        return statement == null ? null : new AttestProbe(statement, maxAge);
    }

    /** Looks the check's own id up in the attestations file; the id comes from the context's check. */
    public record AttestProbe(String statement, Duration maxAge) implements TargetProbe {
        @Override
        public String describe() { return "signed off: " + statement; }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            String file = ctx.target().vars().getOrDefault(Attestations.TARGET_VAR, Attestations.DEFAULT_FILE);
            Attestations all;
            try {
                all = ctx.session().shared("attestations:" + file, () -> Attestations.load(Path.of(file)));
            } catch (ProbeException e) {
                Throwable c = e.getCause();
                throw new ProbeException(c instanceof PlaybookException pe ? Attestations.describe(pe) : "cannot read attestations " + file + ": " + e.getMessage());
            }
            String id = ctx.checkId();
            Optional<Attestations.Entry> entry = all.latest(id, ctx.target().name());
            Facts.Builder b = Facts.builder();
            if (entry.isEmpty()) {
                return b.put("attested", false).put("by", Missing.INSTANCE).put("at", Missing.INSTANCE).put("expires", Missing.INSTANCE)
                        .put("age_days", Missing.INSTANCE).put("days_left", Missing.INSTANCE).put("note", Missing.INSTANCE)
                        .note("nobody signed off '" + id + "' for target " + ctx.target().name() + " in " + file
                                + " (tria-ready attest " + id + " --by NAME)")
                        .build();
            }
            Attestations.Entry e = entry.get();
            LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
            long age = ChronoUnit.DAYS.between(e.at(), today);
            Long daysLeft = e.expires() == null ? null : ChronoUnit.DAYS.between(today, e.expires());
            boolean expired = daysLeft != null && daysLeft < 0;
            boolean tooOld = maxAge != null && age * 86_400_000L > maxAge.toMillis();
            String why = expired ? "expired on " + e.expires() : tooOld ? "older than " + Durations.format(maxAge) : null;
            return b.put("attested", why == null)
                    .put("by", e.by()).put("at", e.at().toString()).put("expires", e.expires() == null ? Missing.INSTANCE : e.expires().toString())
                    .put("age_days", age).put("days_left", daysLeft == null ? Missing.INSTANCE : daysLeft)
                    .put("note", e.note() == null ? Missing.INSTANCE : e.note())
                    .note("signed off by " + e.by() + " on " + e.at() + (e.expires() == null ? "" : ", expires " + e.expires()) + (why == null ? "" : ": " + why))
                    .build();
        }
    }
}

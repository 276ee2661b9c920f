package io.triaready.checks.command;


import io.triaready.base.json.Json;
import io.triaready.base.yaml.Durations;
import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.checks.support.DeclaredCheckType;
import io.triaready.checks.support.HostProbe;
import io.triaready.spi.Deadline;
import io.triaready.spi.ExecResult;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Facts;
import io.triaready.spi.HostTransport;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;

/**
 * {@code command: "systemctl is-active nginx"} or {@code command: {run: ..., stdin: ..., sudo: true}}: runs
 * on every host of the target. Facts: exit_code, stdout (primary), stderr, json (stdout parsed), duration_ms.
 * Unless {@code expect} names {@code exit_code}, the exit code must be 0 (a command that is not found, exit
 * 127, prints nothing to stdout: without this, {@code stdout: {not_contains: ERROR}} would pass). With {@code sudo: true} the command runs as root through
 * sudo, the host's {@code sudo_password} (if any) going to sudo's stdin, never onto a command line.
 */
public final class CommandCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("stdout", "exit_code", "stdout", "stderr", "json", "duration_ms")
            .withDefault("exit_code: 0").withGuard("exit_code", 0L, "stderr");

    public CommandCheckType() { super("command", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        if (spec.isScalar()) {
            String run = scalar(spec, ctx);
            if (run == null || run.isBlank()) {
                needs(spec, ctx, "the command to run");
                return null;
            }
            return new CommandProbe(run, null, false);
        }
        Fields f = fields(spec, ctx);
        String run = f.requiredString("run");
        String stdin = f.string("stdin").orElse(null);
        boolean sudo = f.bool("sudo", false);
        if (sudo && stdin != null) {
            ctx.problem(f.keyNode("stdin"), "'stdin' cannot be used with 'sudo: true' (sudo reads the host's sudo_password from stdin)");
        }
        f.finish();
        return run == null ? null : new CommandProbe(run, stdin, sudo);
    }

    /** Runs {@code run} under {@code sh -c} on the host, as root through sudo when {@code sudo}. */
    public record CommandProbe(String run, String stdin, boolean sudo) implements HostProbe {
        public CommandProbe(String run, String stdin) { this(run, stdin, false); }

        @Override
        public String describe() { return (sudo ? "run with sudo: " : "run: ") + run; }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            HostTransport host = ctx.host();
            ExecResult r;
            try {
                Deadline limits = ctx.deadline().forCommand();
                r = sudo ? host.sudo(run, limits)
                        : host.exec(run, stdin == null ? null : stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8), limits);
            } catch (java.io.IOException e) {
                throw new ProbeException(e.getMessage(), e);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new ProbeException("command timed out after " + Durations.format(ctx.deadline().timeout()));
            }
            String stdout = r.stdout();
            return Facts.builder()
                    .put("exit_code", (long) r.exitCode())
                    .put("stdout", stdout)
                    .put("stderr", r.stderr())
                    .put("duration_ms", r.duration().toMillis())
                    .lazy("json", () -> Json.parse(stdout))
                    .note("exit " + r.exitCode() + " in " + Durations.format(r.duration())
                            + (r.exitCode() != 0 && !r.stderr().isBlank() ? ": " + HostTransport.firstLine(r.stderr()) : ""))
                    .build();
        }
    }

}

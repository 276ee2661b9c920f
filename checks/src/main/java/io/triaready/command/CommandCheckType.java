package io.triaready.command;


import io.triaready.check.CheckType;
import io.triaready.check.FactSchema;
import io.triaready.check.Facts;
import io.triaready.check.Probe;
import io.triaready.check.ProbeContext;
import io.triaready.check.ProbeException;
import io.triaready.check.Scope;
import io.triaready.host.ExecResult;
import io.triaready.host.HostTransport;
import io.triaready.json.Json;
import io.triaready.playbook.Fields;
import io.triaready.playbook.ParseContext;
import io.triaready.playbook.YNode;

/**
 * {@code command: "systemctl is-active nginx"} or {@code command: {run: ..., stdin: ..., sudo: true}}: runs
 * on every host of the target. Facts: exit_code, stdout (primary), stderr, json (stdout parsed), duration_ms.
 * Unless {@code expect} names {@code exit_code}, the exit code must be 0 (a command that is not found, exit
 * 127, prints nothing to stdout: without this, {@code stdout: {not_contains: ERROR}} would pass). With {@code sudo: true} the command runs as root through
 * sudo, the host's {@code sudo_password} (if any) going to sudo's stdin, never onto a command line.
 */
public final class CommandCheckType implements CheckType {
    static final FactSchema FACTS = FactSchema.of("stdout", "exit_code", "stdout", "stderr", "json", "duration_ms")
            .withDefault("exit_code: 0").withGuard("exit_code", 0L, "stderr");

    @Override
    public String name() { return "command"; }

    @Override
    public FactSchema facts() { return FACTS; }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        if (spec.isScalar()) {
            String run = ctx.string(spec, "'command'");
            if (run == null || run.isBlank()) {
                ctx.problem(spec, "'command' needs the command to run");
                return null;
            }
            return new CommandProbe(run, null, false);
        }
        Fields f = Fields.of(spec, ctx, "command check");
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
    public record CommandProbe(String run, String stdin, boolean sudo) implements Probe {
        public CommandProbe(String run, String stdin) { this(run, stdin, false); }

        @Override
        public String describe() { return (sudo ? "run with sudo: " : "run: ") + run; }

        @Override
        public Scope scope() { return Scope.HOST; }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            HostTransport host = ctx.host();
            ExecResult r;
            try {
                r = sudo ? host.sudo(run, ctx.remaining())
                        : host.exec(run, stdin == null ? null : stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8), ctx.remaining());
            } catch (java.io.IOException e) {
                throw new ProbeException(e.getMessage(), e);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new ProbeException("command timed out after " + io.triaready.playbook.Durations.format(ctx.timeout()));
            }
            String stdout = r.stdout();
            return Facts.builder()
                    .put("exit_code", (long) r.exitCode())
                    .put("stdout", stdout)
                    .put("stderr", r.stderr())
                    .put("duration_ms", r.duration().toMillis())
                    .lazy("json", () -> Json.parse(stdout))
                    .note("exit " + r.exitCode() + " in " + io.triaready.playbook.Durations.format(r.duration())
                            + (r.exitCode() != 0 && !r.stderr().isBlank() ? ": " + HostTransport.firstLine(r.stderr()) : ""))
                    .build();
        }
    }

}

package io.triaready.checks.memory;

import java.util.HashMap;
import java.util.Map;

import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.checks.support.DeclaredCheckType;
import io.triaready.checks.support.HostProbe;
import io.triaready.spi.ExecResult;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Facts;
import io.triaready.spi.HostCommands;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;

/**
 * {@code memory: {}} (or {@code memory: true}): memory on every Linux host, from /proc/meminfo.
 * Facts: available_percent (primary, MemAvailable / MemTotal, one decimal), available_kb, total_kb,
 * swap_total_kb, swap_free_kb. Without {@code expect}, at least 10% must be available.
 */
public final class MemoryCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("available_percent", "available_percent", "available_kb", "total_kb",
            "swap_total_kb", "swap_free_kb").withDefault("available_percent: {gte: 10}");

    public MemoryCheckType() { super("memory", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        if (spec.isNull() || (spec.isScalar() && Boolean.TRUE.equals(spec.scalar()))) return new MemoryProbe();
        if (spec.isMap()) {
            fields(spec, ctx).finish(); // no keys yet: anything given is a typo
            return new MemoryProbe();
        }
        ctx.problem(spec, "'memory' takes no settings: write memory: {} and put the limits under expect");
        return null;
    }

    public record MemoryProbe() implements HostProbe {
        @Override
        public String describe() { return "memory"; }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            String host = ctx.host().name();
            ExecResult r = HostCommands.run(ctx, "cat /proc/meminfo", "reading /proc/meminfo");
            if (r.exitCode() != 0) throw new ProbeException("/proc/meminfo is not readable on " + host + " (not Linux?): " + HostCommands.why(r));
            Map<String, Long> kb = parse(r.stdout());
            Long total = kb.get("MemTotal");
            if (total == null || total <= 0) throw new ProbeException("/proc/meminfo on " + host + " has no MemTotal");
            Long available = kb.get("MemAvailable");
            if (available == null) { // kernels before 3.14: the usual estimate
                available = kb.getOrDefault("MemFree", 0L) + kb.getOrDefault("Buffers", 0L) + kb.getOrDefault("Cached", 0L);
            }
            double percent = Math.round(available * 1000.0 / total) / 10.0;
            return Facts.builder()
                    .put("available_percent", percent)
                    .put("available_kb", available)
                    .put("total_kb", total)
                    .put("swap_total_kb", kb.getOrDefault("SwapTotal", 0L))
                    .put("swap_free_kb", kb.getOrDefault("SwapFree", 0L))
                    .note(String.format(java.util.Locale.ROOT, "%.1f%% available (%d of %d MiB)", percent, available / 1024, total / 1024))
                    .build();
        }

        static Map<String, Long> parse(String meminfo) {
            Map<String, Long> kb = new HashMap<>();
            for (String line : meminfo.split("\n")) {
                int colon = line.indexOf(':');
                if (colon <= 0) continue;
                String[] v = line.substring(colon + 1).trim().split("\\s+");
                try {
                    kb.put(line.substring(0, colon).trim(), Long.parseLong(v[0]));
                } catch (NumberFormatException ignored) {
                    // not a number line
                }
            }
            return kb;
        }
    }
}

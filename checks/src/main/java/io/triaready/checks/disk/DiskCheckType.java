package io.triaready.checks.disk;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.checks.support.DeclaredCheckType;
import io.triaready.checks.support.HostProbe;
import io.triaready.core.expect.Missing;
import io.triaready.spi.ExecResult;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Facts;
import io.triaready.spi.HostCommands;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;
import io.triaready.spi.Shell;

/**
 * {@code disk: /} or {@code disk: {mount: /var/lib/postgresql}}: the filesystem holding a path, on every
 * host, as {@code df -P} reports it (POSIX output, 1024-byte blocks). Facts: used_percent (primary,
 * df's Use% / Capacity), size_bytes, used_bytes, free_bytes (available to unprivileged users), mount
 * (where that filesystem is mounted), filesystem, inodes_used_percent. Without {@code expect}, usage
 * must be under 90%.
 */
public final class DiskCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("used_percent", "used_percent", "size_bytes", "used_bytes", "free_bytes", "mount",
            "filesystem", "inodes_used_percent").withDefault("used_percent: {lt: 90}");

    /** A df -P data line: filesystem, size, used, available, capacity%, mounted on (either may contain spaces). */
    static final Pattern LINE = Pattern.compile("^(.*?)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+|-)%?\\s+(/.*)$");

    public DiskCheckType() { super("disk", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        String mount = scalarOrKey(spec, ctx, "mount", "a mount point or path, e.g. /");
        return mount == null ? null : new DiskProbe(mount);
    }

    public record DiskProbe(String mount) implements HostProbe {
        @Override
        public String describe() { return "disk " + mount; }

        String script() {
            String q = Shell.quote(mount);
            return "df -P -k -- " + q + " || exit $?; echo " + HostCommands.MARK + "inodes; df -P -i -- " + q + " 2>/dev/null; true";
        }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            String host = ctx.host().name();
            ExecResult r = HostCommands.run(ctx, script(), "df " + mount);
            if (r.exitCode() != 0) throw new ProbeException("df " + mount + " on " + host + ": " + HostCommands.why(r));
            String[] parts = r.stdout().split(Pattern.quote(HostCommands.MARK + "inodes") + "\n?", 2);
            Matcher blocks = dataLine(parts[0]);
            if (blocks == null) throw new ProbeException("df " + mount + " on " + host + ": unexpected output '" + HostCommands.why(r) + "'");
            Matcher inodes = parts.length > 1 ? dataLine(parts[1]) : null;
            long size = Long.parseLong(blocks.group(2)) * 1024;
            long used = Long.parseLong(blocks.group(3)) * 1024;
            long free = Long.parseLong(blocks.group(4)) * 1024;
            Object percent = blocks.group(5).equals("-") ? Missing.INSTANCE : (Object) Long.parseLong(blocks.group(5));
            Object inodePercent = inodes == null || inodes.group(5).equals("-") ? Missing.INSTANCE : (Object) Long.parseLong(inodes.group(5));
            return Facts.builder()
                    .put("used_percent", percent)
                    .put("size_bytes", size)
                    .put("used_bytes", used)
                    .put("free_bytes", free)
                    .put("mount", blocks.group(6).strip())
                    .put("filesystem", blocks.group(1).strip())
                    .put("inodes_used_percent", inodePercent)
                    .note(blocks.group(6).strip() + " (" + blocks.group(1).strip() + "): " + blocks.group(5) + "% used, "
                            + human(free) + " free of " + human(size)
                            + (inodePercent instanceof Long l ? ", inodes " + l + "% used" : ""))
                    .build();
        }

        private static Matcher dataLine(String out) {
            for (String line : out.split("\n")) {
                if (line.startsWith("Filesystem") || line.isBlank()) continue;
                Matcher m = LINE.matcher(line.strip());
                if (m.matches()) return m;
            }
            return null;
        }

        static String human(long bytes) {
            double v = bytes;
            String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
            int u = 0;
            while (v >= 1024 && u < units.length - 1) {
                v /= 1024;
                u++;
            }
            return String.format(java.util.Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
        }
    }
}

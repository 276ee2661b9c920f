package io.triaready.spi;

import java.util.Locale;

/**
 * Whether a run may use the transports' speed tricks (for SSH: connecting before the command line is
 * read, one-round-trip login, quick ACKs and batched writes, crypto warm-up, shell lanes and their
 * pipelining; see docs/performance.md). {@link #ON} by default; {@link #OFF} is the plain, slower path
 * with nothing but public library behaviour, for when a trick is suspected ({@code --no-speed-tricks},
 * or {@value #ENV}{@code =off}). The one switch: a transport reads it from its run's {@link Session}.
 */
public enum SpeedTricks {
    ON, OFF;

    /** The environment variable that turns the tricks off for every run of a process: {@code off} (or 0, false, no). */
    public static final String ENV = "TRIA_READY_SPEED_TRICKS";

    /** The process's setting, read once (as {@code TRIA_READY_TRACE} is): the default of every {@link Session}. */
    static final SpeedTricks PROCESS = fromEnvironment(System.getenv(ENV));

    public boolean on() { return this == ON; }

    /** {@code value} of {@value #ENV}: OFF for off, 0, false or no (any case); ON otherwise, unset included. */
    public static SpeedTricks fromEnvironment(String value) {
        if (value == null) return ON;
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "off", "0", "false", "no" -> OFF;
            default -> ON;
        };
    }

    /** OFF when the command line said so ({@code --no-speed-tricks}) or the environment did; ON otherwise. */
    public static SpeedTricks of(boolean noSpeedTricksOption, String environmentValue) {
        return noSpeedTricksOption ? OFF : fromEnvironment(environmentValue);
    }
}

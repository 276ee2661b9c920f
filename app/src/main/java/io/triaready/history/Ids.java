package io.triaready.history;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Run ids: {@code 20261121-152013-7f3a}, the start time in UTC (so ids sort by time and a prefix
 * such as {@code 20261121} picks a day) and 4 random hex digits (stores retry on the rare clash).
 */
public final class Ids {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final Pattern VALID = Pattern.compile("[0-9]{8}-[0-9]{6}-[0-9a-f]{4}");

    private Ids() {}

    /** A new id for something that happened at {@code started} (runs, and the fixes recorded next to them). */
    public static String next(Instant started) {
        return FORMAT.format(started) + "-" + String.format("%04x", RANDOM.nextInt(0x10000));
    }
}

package io.triaready.spi;

/** POSIX shell quoting: any value from an inventory or playbook reaches a remote shell as one literal word. */
public final class Shell {
    private Shell() {}

    /** {@code it's} becomes {@code 'it'\''s'}: single quotes make everything literal, including $, ` and ;. */
    public static String quote(String value) {
        if (value.isEmpty()) return "''";
        if (value.matches("[A-Za-z0-9_./=:@%+,-]+")) return value;
        return "'" + value.replace("'", "'\\''") + "'";
    }
}

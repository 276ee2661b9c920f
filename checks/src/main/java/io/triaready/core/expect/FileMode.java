package io.triaready.core.expect;

/**
 * Unix permission bits as a fact. Equal to what a user writes for a mode whichever way YAML read it:
 * {@code mode: 0644} (YAML 1.1 reads an octal 420), {@code mode: "0644"} or {@code mode: 644}.
 */
public record FileMode(int bits) {
    public boolean matches(Object expected) {
        if (expected instanceof FileMode m) return m.bits == bits;
        if (expected instanceof Number n) {
            long v = n.longValue();
            // 420 is 0644 read as octal; 644 is the same digits read as decimal
            return v == bits || Integer.toOctalString(bits).equals(Long.toString(v));
        }
        if (expected instanceof String s) {
            String t = s.trim();
            if (t.startsWith("0o")) t = t.substring(2);
            try {
                return Integer.parseInt(t, 8) == bits;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    @Override
    public String toString() { return String.format("%04o", bits); }
}

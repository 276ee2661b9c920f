package io.triaready.history;

/** The history store could not be read or written; the message is one line, with no secret in it. */
public final class StoreException extends Exception {
    public StoreException(String message) { super(message); }

    public StoreException(String message, Throwable cause) { super(message, cause); }

    /** The first line of a throwable's message (drivers like to add detail lines). */
    static String oneLine(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) return t.getClass().getSimpleName();
        String line = m.strip().lines().findFirst().orElse("");
        return line;
    }
}

package io.triaready.spi;

/**
 * The probe could not observe what it was asked to (refused, timed out, unparseable answer).
 * The message is one line for the report: the check becomes an ERROR, never a FAIL.
 */
public class ProbeException extends Exception {
    public ProbeException(String message) { super(message); }

    public ProbeException(String message, Throwable cause) { super(message, cause); }
}

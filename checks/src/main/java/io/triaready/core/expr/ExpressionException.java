package io.triaready.core.expr;

/** The text is not a valid expression. {@link #position()} is 1-based (the end of the text is length + 1). */
public final class ExpressionException extends Exception {
    private final int position;
    private final String reason;

    public ExpressionException(String reason, int position) {
        super(reason + " at position " + position);
        this.reason = reason;
        this.position = position;
    }

    public int position() { return position; }

    public String reason() { return reason; }
}

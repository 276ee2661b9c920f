package io.triaready.core.expr;

/** An expression could not be evaluated: an unknown name, a value that is not a number, a division by zero. */
public final class EvaluationException extends Exception {
    public EvaluationException(String message) { super(message); }
}

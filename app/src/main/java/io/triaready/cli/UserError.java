package io.triaready.cli;

/** A user's mistake outside a file (a flag value, an unknown id): one line on stderr, exit code 2. */
public final class UserError extends RuntimeException {
    public UserError(String message) { super(message); }
}

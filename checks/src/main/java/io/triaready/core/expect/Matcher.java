package io.triaready.core.expect;

/**
 * A test on one value. {@link #describe()} says what is expected ("== 200", "contains \"ok\"");
 * the expectation prints it next to the actual value when the test fails.
 */
public interface Matcher {
    boolean test(Object actual);

    String describe();

    /** An extra word on why a value failed (e.g. "not a number"), or null. */
    default String why(Object actual) { return null; }
}

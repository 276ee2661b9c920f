package io.triaready.archfixture.fix;

/** VIOLATION: the checks module imports the app (report). */
public final class Fix {
    public io.triaready.archfixture.report.Report report;
}

package io.triaready.archfixture.report;

public final class Report {}

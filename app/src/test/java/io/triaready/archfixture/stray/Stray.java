package io.triaready.archfixture.stray;

/** VIOLATION: a package in no layer. */
public final class Stray {}

package io.triaready.archfixture.transport.pool;

public final class Pool {}

package io.triaready.history;

/** {@link TestDatabase} for tests in other packages. */
public final class TestDatabaseAccess implements AutoCloseable {
    private final TestDatabase db = new TestDatabase();

    public String url() { return db.url(); }

    @Override
    public void close() throws Exception { db.close(); }
}

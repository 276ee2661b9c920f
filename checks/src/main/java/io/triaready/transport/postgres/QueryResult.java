package io.triaready.transport.postgres;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one query returned: column labels, the first {@code rows} (capped), the exact row count, how
 * long the query took on the server (not the wait for a connection), and whether it had to be sent
 * again on a new connection because the server had closed the pooled one.
 */
public record QueryResult(List<String> columns, List<Map<String, Object>> rows, long rowCount, Duration duration, boolean wasResent) {
    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    public QueryResult(List<String> columns, List<Map<String, Object>> rows, long rowCount, Duration duration) {
        this(columns, rows, rowCount, duration, false);
    }

    QueryResult resent() { return new QueryResult(columns, rows, rowCount, duration, true); }

    public boolean truncated() { return rowCount > rows.size(); }
}

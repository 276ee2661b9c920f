package io.triaready.sql;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What one query returned: column labels, the first {@code rows} (capped), the exact row count, and how long it took. */
public record QueryResult(List<String> columns, List<Map<String, Object>> rows, long rowCount, Duration duration) {
    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    public boolean truncated() { return rowCount > rows.size(); }
}

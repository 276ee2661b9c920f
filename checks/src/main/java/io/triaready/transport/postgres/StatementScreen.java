package io.triaready.transport.postgres;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.triaready.transport.postgres.SqlLexer.Kind;
import io.triaready.transport.postgres.SqlLexer.Token;

/**
 * The lexical half of "a read-only SQL check has no side effect, whatever role it runs as". A read-only
 * transaction stops writes to tables, but not what a superuser (or a role holding a predefined
 * {@code pg_*} role) can do without writing a table: run a program ({@code COPY ... TO PROGRAM}), write
 * a file ({@code lo_export}), signal another session ({@code pg_terminate_backend}), reload the
 * configuration, hold an advisory lock past the transaction. So before a query reaches the server:
 *
 * <ul>
 *   <li>it must be one statement of the kinds that only read: {@code SELECT}, {@code WITH},
 *       {@code VALUES}, {@code TABLE}, {@code SHOW}, {@code EXPLAIN} (without {@code ANALYZE}) of those;</li>
 *   <li>no name on the list below may appear anywhere in it, called or not, qualified or not, in any
 *       case, quoted or not (a name inside a string or a comment is text, not a call);</li>
 *   <li>no {@code U&"..."} identifier (escapes could spell a listed name), no writing {@code WITH},
 *       no row locks ({@code FOR UPDATE/SHARE}).</li>
 * </ul>
 *
 * What it cannot see: a function, view, operator or cast defined on the target that calls one of these
 * internally. {@link SessionGuard} covers part of that (functions outside {@code pg_catalog} declared
 * VOLATILE are refused; advisory locks are released after every check); the rest is why the audit's
 * role should be a read-only one (docs/reference/sql.md).
 */
public final class StatementScreen {
    private StatementScreen() {}

    static final String NEVER_CHANGES = "; an audit never changes a target";
    static final String ONLY_READS = "; a check runs one SELECT, WITH, VALUES, TABLE, SHOW or EXPLAIN";

    /** Functions refused by name, with why. Names are lower case; the server folds unquoted names the same way. */
    static final Map<String, String> FUNCTIONS = new LinkedHashMap<>();
    /** Name prefixes refused (families of extension functions). */
    static final Map<String, String> PREFIXES = new LinkedHashMap<>();

    private static void refuse(String why, String... names) {
        for (String n : names) FUNCTIONS.put(n, why);
    }

    static {
        refuse("signals other sessions (ends or cancels them)", "pg_terminate_backend", "pg_cancel_backend");
        refuse("signals the server (reload, log rotation, promotion, replay)", "pg_reload_conf", "pg_rotate_logfile", "pg_rotate_logfile_old",
                "pg_promote", "pg_wal_replay_pause", "pg_wal_replay_resume", "pg_xlog_replay_pause", "pg_xlog_replay_resume",
                "pg_log_backend_memory_contexts");
        refuse("writes or changes files on the database server", "lo_export", "pg_file_write", "pg_file_rename", "pg_file_unlink",
                "pg_file_sync");
        refuse("reads files on the database server (read files with a file check over SSH)", "lo_import", "pg_read_file",
                "pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "pg_logdir_ls");
        refuse("opens, creates or changes large objects", "lo_open", "lo_close", "loread", "lowrite", "lo_lseek", "lo_lseek64", "lo_tell",
                "lo_tell64", "lo_truncate", "lo_truncate64", "lo_creat", "lo_create", "lo_unlink", "lo_from_bytea", "lo_get", "lo_put");
        refuse("changes server settings", "set_config");
        refuse("takes or releases advisory locks that other sessions wait on", "pg_advisory_lock", "pg_advisory_lock_shared",
                "pg_advisory_xact_lock", "pg_advisory_xact_lock_shared", "pg_try_advisory_lock", "pg_try_advisory_lock_shared",
                "pg_try_advisory_xact_lock", "pg_try_advisory_xact_lock_shared", "pg_advisory_unlock", "pg_advisory_unlock_shared",
                "pg_advisory_unlock_all");
        refuse("advances a sequence, which no rollback undoes", "nextval", "setval");
        refuse("sends a notification to other sessions", "pg_notify");
        refuse("assigns a transaction id, which no rollback gives back", "txid_current", "pg_current_xact_id");
        refuse("writes WAL or starts or stops a backup", "pg_switch_wal", "pg_switch_xlog", "pg_create_restore_point", "pg_backup_start",
                "pg_backup_stop", "pg_start_backup", "pg_stop_backup", "pg_logical_emit_message", "pg_log_standby_snapshot");
        refuse("creates, drops or consumes replication slots or origins", "pg_create_physical_replication_slot",
                "pg_create_logical_replication_slot", "pg_drop_replication_slot", "pg_copy_physical_replication_slot",
                "pg_copy_logical_replication_slot", "pg_replication_slot_advance", "pg_logical_slot_get_changes",
                "pg_logical_slot_get_binary_changes", "pg_logical_slot_peek_changes", "pg_logical_slot_peek_binary_changes",
                "pg_replication_origin_create", "pg_replication_origin_drop", "pg_replication_origin_advance",
                "pg_replication_origin_session_setup", "pg_replication_origin_session_reset", "pg_replication_origin_xact_setup",
                "pg_replication_origin_xact_reset", "pg_sync_replication_slots");
        refuse("resets or overwrites the server's statistics", "pg_stat_reset", "pg_stat_reset_shared", "pg_stat_reset_single_table_counters",
                "pg_stat_reset_single_function_counters", "pg_stat_reset_slru", "pg_stat_reset_replication_slot",
                "pg_stat_reset_subscription_stats", "pg_stat_statements_reset", "pg_set_relation_stats", "pg_set_attribute_stats",
                "pg_clear_relation_stats", "pg_clear_attribute_stats", "pg_restore_relation_stats", "pg_restore_attribute_stats");
        refuse("changes indexes, table storage or the catalog", "brin_summarize_new_values", "brin_summarize_range",
                "brin_desummarize_range", "gin_clean_pending_list", "pg_import_system_collations", "pg_nextoid", "heap_force_kill",
                "heap_force_freeze", "pg_truncate_visibility_map", "pg_prewarm", "autoprewarm_start_worker", "autoprewarm_dump_now");
        refuse("runs SQL given as text, which this screen cannot read", "query_to_xml", "query_to_xml_and_xmlschema",
                "query_to_xmlschema", "cursor_to_xml", "cursor_to_xmlschema", "ts_stat", "ts_rewrite");
        PREFIXES.put("dblink", "runs SQL on another connection, outside the read-only transaction");
        PREFIXES.put("binary_upgrade_", "is for pg_upgrade only");
    }

    /** Why each statement kind other than the reading ones is refused, by its first keyword. */
    private static final Map<String, String> KINDS = new LinkedHashMap<>();

    private static void kind(String why, String... words) {
        for (String w : words) KINDS.put(w, why);
    }

    static {
        kind("reads or writes files and runs programs on the database server", "copy");
        kind("runs code this screen cannot read", "do");
        kind("runs a procedure, which may change anything", "call");
        kind("changes the session's settings", "set", "reset");
        kind("holds locks that other sessions wait on", "lock");
        kind("talks to other sessions", "listen", "unlisten", "notify");
        kind("runs a statement this screen cannot see", "prepare", "execute", "deallocate");
        kind("would let a check step out of its read-only, rolled-back transaction", "begin", "start", "commit", "end", "rollback", "abort",
                "savepoint", "release");
        kind("writes data", "insert", "update", "delete", "merge", "truncate");
        kind("changes the database", "create", "alter", "drop", "grant", "revoke", "comment", "security", "reindex", "cluster", "vacuum",
                "analyze", "analyse", "refresh", "import", "load", "checkpoint", "discard", "reassign");
        kind("opens or moves a cursor", "declare", "fetch", "move", "close");
    }

    private static final Set<String> READING = Set.of("select", "with", "values", "table", "show", "explain");

    /** Why the query is refused ("refused: ..."), or null when it may run. */
    public static String refusal(String sql) {
        List<Token> tokens = SqlLexer.tokens(sql);
        if (tokens.isEmpty()) return "refused: the query is empty" + ONLY_READS;
        if (SqlText.secondStatementAt(tokens) > 0) return "refused: the query holds more than one statement" + ONLY_READS;

        String kindProblem = kind(tokens);
        if (kindProblem != null) return kindProblem;

        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind() == Kind.UNICODE_IDENT) {
                return "refused: a U&\"...\" identifier (its escapes could spell any name); write the name plainly";
            }
            if (t.isName()) {
                String name = t.value().toLowerCase(java.util.Locale.ROOT);
                String why = FUNCTIONS.get(name);
                if (why != null) return "refused: " + name + " " + why + NEVER_CHANGES;
                for (Map.Entry<String, String> p : PREFIXES.entrySet()) {
                    if (name.startsWith(p.getKey())) return "refused: " + name + " " + p.getValue() + NEVER_CHANGES;
                }
            }
            Token prev = i > 0 ? tokens.get(i - 1) : null;
            if (t.kind() == Kind.WORD && prev != null && (prev.isPunct('(') || prev.isPunct(')'))
                    && (t.value().equals("insert") || t.value().equals("update") || t.value().equals("delete") || t.value().equals("merge"))) {
                return "refused: a " + t.value().toUpperCase(java.util.Locale.ROOT) + " inside the statement writes data" + NEVER_CHANGES;
            }
            if (t.isWord("for") && i + 1 < tokens.size()) {
                Token next = tokens.get(i + 1);
                String clause = next.isWord("update") ? "FOR UPDATE" : next.isWord("share") ? "FOR SHARE"
                        : next.isWord("no") ? "FOR NO KEY UPDATE" : next.isWord("key") ? "FOR KEY SHARE" : null;
                if (clause != null) return "refused: " + clause + " locks rows that other sessions then wait on" + NEVER_CHANGES;
            }
        }
        return null;
    }

    /** The statement kind: null when it only reads, else why not. */
    private static String kind(List<Token> tokens) {
        int i = skipOpenParens(tokens, 0);
        if (i >= tokens.size()) return "refused: the query has no statement" + ONLY_READS;
        Token first = tokens.get(i);
        String word = first.value();
        if (!READING.contains(word) || first.kind() != Kind.WORD) {
            String why = first.kind() == Kind.WORD ? KINDS.get(word) : null;
            String shown = first.kind() == Kind.WORD ? word.toUpperCase(java.util.Locale.ROOT) : "'" + first.value() + "'";
            return "refused: " + shown + (why != null ? " " + why : " is not a statement that only reads") + ONLY_READS;
        }
        if (!word.equals("explain")) return null;
        i++;
        if (i < tokens.size() && tokens.get(i).isPunct('(')) {
            int depth = 0;
            for (; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (t.isPunct('(')) depth++;
                else if (t.isPunct(')') && --depth == 0) { i++; break; }
                else if (t.isWord("analyze") || t.isWord("analyse")) {
                    Token v = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
                    boolean off = v != null && (v.isWord("false") || v.isWord("off") || v.is(Kind.NUMBER, "0"));
                    if (!off) return explainAnalyze();
                }
            }
        }
        while (i < tokens.size() && (tokens.get(i).isWord("analyze") || tokens.get(i).isWord("analyse") || tokens.get(i).isWord("verbose"))) {
            if (!tokens.get(i).isWord("verbose")) return explainAnalyze();
            i++;
        }
        i = skipOpenParens(tokens, i);
        Token inner = i < tokens.size() ? tokens.get(i) : null;
        if (inner == null || inner.kind() != Kind.WORD || inner.isWord("show") || inner.isWord("explain") || !READING.contains(inner.value())) {
            return "refused: EXPLAIN of " + (inner == null ? "nothing" : inner.value().toUpperCase(java.util.Locale.ROOT))
                    + "; EXPLAIN only a SELECT, WITH, VALUES or TABLE";
        }
        return null;
    }

    private static String explainAnalyze() {
        return "refused: EXPLAIN ANALYZE runs the statement; EXPLAIN shows the plan without running it (and a check's duration_ms times the query itself)";
    }

    private static int skipOpenParens(List<Token> tokens, int i) {
        while (i < tokens.size() && tokens.get(i).isPunct('(')) i++;
        return i;
    }

    /**
     * The names the query calls as functions ({@code name(}), as the server would look them up: for
     * {@link SessionGuard}'s look-up of functions outside {@code pg_catalog}.
     */
    static List<String> calledNames(String sql) {
        List<Token> tokens = SqlLexer.tokens(sql);
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isName() && tokens.get(i + 1).isPunct('(')) names.add(t.value());
        }
        return new ArrayList<>(names);
    }
}

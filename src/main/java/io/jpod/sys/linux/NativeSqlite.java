package io.jpod.sys.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * SQLite's C API (Debian's libsqlite3) through the shared FFM call shape. Replaces sqlite-jdbc on the CLI's
 * path: its JDBC, JNI and java.util.logging start-up cost ~45 ms per command here (measured), this ~2 ms.
 * Not thread-safe by itself: callers serialise (the connection is also opened FULLMUTEX).
 */
public final class NativeSqlite implements AutoCloseable {
    public static final int OK = 0, BUSY = 5, CONSTRAINT = 19, ROW = 100, DONE = 101;
    private static final int OPEN_READWRITE = 0x2, OPEN_CREATE = 0x4, OPEN_FULLMUTEX = 0x10000, OPEN_NOFOLLOW = 0x1000000;
    private static final long TRANSIENT = -1; // SQLITE_TRANSIENT: sqlite copies bound values

    private static final class Fn {
        static final SymbolLookup LIB = SymbolLookup.libraryLookup("libsqlite3.so.0", Arena.global());
        static final MemorySegment OPEN = f("sqlite3_open_v2"), CLOSE = f("sqlite3_close_v2"),
                BUSY_TIMEOUT = f("sqlite3_busy_timeout"), EXEC = f("sqlite3_exec"), PREPARE = f("sqlite3_prepare_v2"),
                BIND_TEXT = f("sqlite3_bind_text"), BIND_INT64 = f("sqlite3_bind_int64"),
                BIND_NULL = f("sqlite3_bind_null"), STEP = f("sqlite3_step"), RESET = f("sqlite3_reset"),
                FINALIZE = f("sqlite3_finalize"), COLUMN_TEXT = f("sqlite3_column_text"),
                COLUMN_BYTES = f("sqlite3_column_bytes"), COLUMN_INT64 = f("sqlite3_column_int64"),
                COLUMN_TYPE = f("sqlite3_column_type"), CHANGES = f("sqlite3_changes"), ERRMSG = f("sqlite3_errmsg"),
                EXTENDED_ERRCODE = f("sqlite3_extended_errcode");

        static MemorySegment f(String name) {
            return LIB.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libsqlite3 has no " + name));
        }
    }

    /** A failed SQLite call: the result code and SQLite's own message. */
    public static final class SqliteException extends RuntimeException {
        private final int code;

        SqliteException(int code, String message) {
            super(message);
            this.code = code;
        }

        /** The primary result code (SQLITE_BUSY, SQLITE_CONSTRAINT, ...). */
        public int code() { return code & 0xff; }
    }

    private final long db;
    private final String file;

    private NativeSqlite(long db, String file) {
        this.db = db;
        this.file = file;
    }

    public static NativeSqlite open(Path file, int busyTimeoutMillis) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pp = a.allocate(ValueLayout.ADDRESS);
            int rc = (int) Libc.callv(Fn.OPEN, a.allocateFrom(file.toString()), pp,
                    OPEN_READWRITE | OPEN_CREATE | OPEN_FULLMUTEX | OPEN_NOFOLLOW, 0L);
            long db = pp.get(ValueLayout.ADDRESS, 0).address();
            if (rc != OK) {
                String msg = db != 0 ? errmsg(db) : "out of memory";
                if (db != 0) Libc.call(Fn.CLOSE, db, 0, 0, 0, 0, 0);
                throw new SqliteException(rc, "cannot open " + file + ": " + msg);
            }
            Libc.call(Fn.BUSY_TIMEOUT, db, busyTimeoutMillis, 0, 0, 0, 0);
            return new NativeSqlite(db, file.toString());
        }
    }

    private static String errmsg(long db) {
        long p = Libc.call(Fn.ERRMSG, db, 0, 0, 0, 0, 0);
        return p == 0 ? "unknown error" : MemorySegment.ofAddress(p).reinterpret(4096).getString(0);
    }

    private SqliteException error(int rc, String what) {
        int ext = (int) Libc.call(Fn.EXTENDED_ERRCODE, db, 0, 0, 0, 0, 0);
        return new SqliteException(ext != 0 ? ext : rc, what + ": " + errmsg(db));
    }

    /** Runs SQL without results (pragmas, BEGIN IMMEDIATE, COMMIT, DDL). */
    public void exec(String sql) {
        try (Arena a = Arena.ofConfined()) {
            int rc = (int) Libc.callv(Fn.EXEC, db, a.allocateFrom(sql), 0L, 0L, 0L);
            if (rc != OK) throw error(rc, sql);
        }
    }

    public Stmt prepare(String sql) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pp = a.allocate(ValueLayout.ADDRESS);
            int rc = (int) Libc.callv(Fn.PREPARE, db, a.allocateFrom(sql), -1L, pp, 0L);
            if (rc != OK) throw error(rc, "preparing " + sql);
            return new Stmt(pp.get(ValueLayout.ADDRESS, 0).address(), sql);
        }
    }

    /** Rows changed by the last INSERT, UPDATE or DELETE. */
    public int changes() {
        return (int) Libc.call(Fn.CHANGES, db, 0, 0, 0, 0, 0);
    }

    @Override
    public void close() {
        Libc.call(Fn.CLOSE, db, 0, 0, 0, 0, 0);
    }

    @Override
    public String toString() {
        return "sqlite:" + file;
    }

    /** A prepared statement; bind (1-based), step, read columns (0-based), close. */
    public final class Stmt implements AutoCloseable {
        private final long stmt;
        private final String sql;

        private Stmt(long stmt, String sql) {
            this.stmt = stmt;
            this.sql = sql;
        }

        public Stmt bind(int index, String value) {
            if (value == null) return bindNull(index);
            byte[] b = value.getBytes(StandardCharsets.UTF_8);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment s = a.allocate(Math.max(1, b.length));
                MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, b.length);
                int rc = (int) Libc.call(Fn.BIND_TEXT, stmt, index, s.address(), b.length, TRANSIENT, 0);
                if (rc != OK) throw error(rc, "binding " + sql);
            }
            return this;
        }

        public Stmt bind(int index, long value) {
            int rc = (int) Libc.call(Fn.BIND_INT64, stmt, index, value, 0, 0, 0);
            if (rc != OK) throw error(rc, "binding " + sql);
            return this;
        }

        public Stmt bindNull(int index) {
            int rc = (int) Libc.call(Fn.BIND_NULL, stmt, index, 0, 0, 0, 0);
            if (rc != OK) throw error(rc, "binding " + sql);
            return this;
        }

        /** Advances; true when a row is available, false when done. */
        public boolean step() {
            int rc = (int) Libc.call(Fn.STEP, stmt, 0, 0, 0, 0, 0);
            if (rc == ROW) return true;
            if (rc == DONE) return false;
            throw error(rc, sql);
        }

        /** Runs a statement that returns no rows; returns the number of rows changed. */
        public int execute() {
            step();
            return changes();
        }


        public String text(int col) {
            long p = Libc.call(Fn.COLUMN_TEXT, stmt, col, 0, 0, 0, 0);
            if (p == 0) return null;
            int n = (int) Libc.call(Fn.COLUMN_BYTES, stmt, col, 0, 0, 0, 0);
            byte[] b = MemorySegment.ofAddress(p).reinterpret(n).toArray(ValueLayout.JAVA_BYTE);
            return new String(b, StandardCharsets.UTF_8);
        }

        public long int64(int col) {
            return Libc.call(Fn.COLUMN_INT64, stmt, col, 0, 0, 0, 0);
        }

        public void reset() {
            Libc.call(Fn.RESET, stmt, 0, 0, 0, 0, 0);
        }

        @Override
        public void close() {
            Libc.call(Fn.FINALIZE, stmt, 0, 0, 0, 0, 0);
        }
    }
}

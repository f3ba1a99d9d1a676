package dev.exemplar.store;

import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A disk that fills up on demand: a {@link Store} whose connection fails writes with an SQLite error
 * ({@code SQLITE_FULL} unless told) once switched on, until switched off. Like SQLite on a full disk,
 * the failing write also rolls back the transaction it was in.
 */
public final class FaultyDisk {
    private static final Set<String> EXECUTE = Set.of("execute", "executeUpdate", "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    private final AtomicInteger writesLeft = new AtomicInteger(-1);
    private final AtomicInteger failures = new AtomicInteger();
    private final SQLiteErrorCode code;

    public FaultyDisk() {
        this(SQLiteErrorCode.SQLITE_FULL);
    }

    public FaultyDisk(SQLiteErrorCode code) {
        this.code = code;
    }

    /** The store in {@code dir}, its writes going through this disk. */
    public Store open(Path dir, Store.Options options) {
        return Store.open(dir, options, this::wrap);
    }

    public Store open(Path dir) {
        return open(dir, Store.Options.DEFAULTS);
    }

    /** The {@code n}-th write from now (1: the next) fails, and every one after it, until {@link #heal}. */
    public void fillAfter(int n) {
        writesLeft.set(n - 1);
    }

    /** Space is back: writes succeed again. */
    public void heal() {
        writesLeft.set(-1);
    }

    /** Writes failed so far. */
    public int failures() {
        return failures.get();
    }

    private Connection wrap(Connection real) {
        return proxy(Connection.class, real, (p, m, args) -> {
            Object out = invoke(real, m, args);
            if (m.getName().equals("prepareStatement")) return statement(PreparedStatement.class, real, out, (String) args[0]);
            if (m.getName().equals("createStatement")) return statement(Statement.class, real, out, null);
            return out;
        });
    }

    private <S extends Statement> S statement(Class<S> type, Connection real, Object target, String prepared) {
        return proxy(type, target, (p, m, args) -> {
            String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : prepared;
            if (EXECUTE.contains(m.getName()) && writes(sql)) fail(real);
            return invoke(target, m, args);
        });
    }

    private static boolean writes(String sql) {
        if (sql == null) return false;
        String s = sql.stripLeading().toUpperCase(Locale.ROOT);
        return s.startsWith("INSERT") || s.startsWith("UPDATE") || s.startsWith("DELETE") || s.startsWith("REPLACE");
    }

    private void fail(Connection real) throws SQLException {
        if (writesLeft.get() < 0) return;
        if (writesLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return;
        failures.incrementAndGet();
        if (!real.getAutoCommit()) {
            // what SQLite does itself on a full disk, beneath the driver (which would begin again after a ROLLBACK statement)
            real.unwrap(SQLiteConnection.class).getDatabase().exec("ROLLBACK", true);
        }
        throw new SQLiteException("[" + code.name() + "] " + code.message, code);
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static <T> T proxy(Class<T> type, Object target, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(FaultyDisk.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}

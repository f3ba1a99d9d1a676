package dev.exemplar.store;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The backend's durable state: one SQLite database, {@code exemplar.db}, in a data directory.
 *
 * <p>One connection for the work, guarded by a lock. SQLite admits one writer at a time whatever we
 * do, so more writing connections would only add {@code SQLITE_BUSY} retries between our own threads;
 * with one connection a transaction is simply "hold the lock", and nested transactions join the outer
 * one. The lock is fair: a webhook's insert waits for the transactions queued before it, never for a
 * thread that keeps taking the lock back (the event worker, the sync's batches). Request threads'
 * lookups stay off it: {@link #read} answers from the last commit on a few read-only connections (WAL
 * lets them read while the one connection writes), so a flood of /predict calls neither waits for the
 * background nor holds up the webhooks. (A second writing connection was tried for the event queue:
 * SQLite's busy handler, which sleeps up to 100 ms between tries, made both sides wait longer.)
 *
 * <p>The data directory is also locked against a second process: recovery on open (events left
 * {@code processing} go back to the queue) is only right if nobody else is processing them.
 */
public final class Store implements AutoCloseable {
    static final String FILE_NAME = "exemplar.db";
    static final String DATA_DIR_VARIABLE = "EXEMPLAR_DATA_DIR";

    /** Tuning that tests and operators may change; {@link #DEFAULTS} suits the backend. */
    public record Options(Clock clock, Duration busyTimeout, int maxAttempts, Duration maxRetryDelay, int maxPendingEvents) {
        /**
         * At most 100,000 events wait: Label Studio never sends a refused webhook again, so the cap is only for a
         * backend that has stopped keeping up for good (or a flood), far past any burst of a labelling team
         * (a bulk import of 100,000 tasks is one event); at a few KB an event it is a few hundred MB of disk.
         */
        public static final Options DEFAULTS = new Options(Clock.systemUTC(), Duration.ofSeconds(10), 10, Duration.ofHours(1), 100_000);

        public Options withClock(Clock c) {
            return new Options(c, busyTimeout, maxAttempts, maxRetryDelay, maxPendingEvents);
        }

        public Options withRetries(int attempts, Duration maxDelay) {
            return new Options(clock, busyTimeout, attempts, maxDelay, maxPendingEvents);
        }

        /** At most this many events queued or in processing; {@link EventQueue#enqueue} refuses more. */
        public Options withMaxPendingEvents(int max) {
            return new Options(clock, busyTimeout, maxAttempts, maxRetryDelay, max);
        }
    }

    /** Connections for {@link #read}: enough that request threads seldom wait for one, each a page cache of its own. */
    static final int READERS = 4;

    /** Work inside a transaction; may return a value. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Path dir;
    private final Path file;
    private final Connection connection;
    /** Read-only connections for {@link #read}, each used by one thread at a time. */
    private final BlockingQueue<Connection> readers;
    private final FileChannel lockChannel;
    private final FileLock dirLock;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Clock clock;
    private final int schemaVersion;
    private final int requeued;

    private final ProjectStore projects;
    private final TaskStore tasks;
    private final FeatureStore features;
    private final EventQueue events;
    private final OrderStore orders;
    private final ViewStore views;
    private final LabelStore labels;
    private final QueueStore queue;

    private Store(Path dir, Options options, UnaryOperator<Connection> wrap) throws IOException, SQLException {
        Files.createDirectories(dir);
        this.dir = dir;
        // the store holds Label Studio keys given by /setup: only the plugin's user may read it
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        this.file = dir.resolve(FILE_NAME);
        this.clock = options.clock();
        this.lockChannel = FileChannel.open(dir.resolve("exemplar.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new StoreException.InUse("the data directory " + dir + " is in use by another Exemplar process");
        }
        this.dirLock = l;

        SQLiteConfig config = new SQLiteConfig();
        // WAL: readers never block the writer; NORMAL: a commit survives a crash of the process
        // (the webhook promise) and costs no fsync; only a power cut may lose the latest commits.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout((int) options.busyTimeout().toMillis());
        config.enforceForeignKeys(true);
        // take the write lock at BEGIN, so a transaction never fails half-way on lock upgrade
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        Connection c = null;
        List<Connection> opened = new ArrayList<>();
        try {
            c = wrap.apply(DriverManager.getConnection(url, config.toProperties()));
            this.connection = c;
            this.schemaVersion = Migrations.apply(c, clock);
            SQLiteConfig readOnly = new SQLiteConfig();
            readOnly.setReadOnly(true);
            readOnly.setBusyTimeout((int) options.busyTimeout().toMillis());
            for (int i = 0; i < READERS; i++) opened.add(DriverManager.getConnection(url, readOnly.toProperties()));
            this.readers = new ArrayBlockingQueue<>(READERS, false, opened);
            this.projects = new ProjectStore(this);
            this.tasks = new TaskStore(this);
            this.features = new FeatureStore(this);
            this.events = new EventQueue(this, options.maxAttempts(), options.maxRetryDelay(), options.maxPendingEvents());
            this.orders = new OrderStore(this);
            this.views = new ViewStore(this);
            this.labels = new LabelStore(this);
            this.queue = new QueueStore(this);
            this.requeued = events.requeueInterrupted();
        } catch (SQLException | RuntimeException x) {
            for (Connection r : opened) r.close();
            if (c != null) c.close();
            dirLock.release();
            lockChannel.close();
            throw x;
        }
    }

    /** Opens (creating if needed) the store in {@code dataDir} and brings its schema up to date. */
    public static Store open(Path dataDir) {
        return open(dataDir, Options.DEFAULTS);
    }

    public static Store open(Path dataDir, Options options) {
        return open(dataDir, options, UnaryOperator.identity());
    }

    /** Over a connection as {@code wrap} makes it of SQLite's: the seam through which tests inject disk failures. */
    static Store open(Path dataDir, Options options, UnaryOperator<Connection> wrap) {
        try {
            return new Store(dataDir, options, wrap);
        } catch (SQLException e) {
            throw StoreException.of(dataDir, "cannot open the store in " + dataDir, e);
        } catch (IOException e) {
            throw new StoreException("cannot open the store in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** {@code EXEMPLAR_DATA_DIR}, else {@code $XDG_DATA_HOME/exemplar}, else {@code ~/.local/share/exemplar}. */
    public static Path dataDir(Map<String, String> env) {
        String dir = env.get(DATA_DIR_VARIABLE);
        if (dir != null && !dir.isBlank()) return Path.of(dir);
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "exemplar");
        return Path.of(System.getProperty("user.home"), ".local", "share", "exemplar");
    }

    /**
     * Runs {@code work} in one transaction: all of it is committed, or none of it. Calls made
     * inside (to any of the repositories) join the same transaction, so for example an event's
     * effects and {@link EventQueue#done} commit together.
     */
    public <T> T transaction(Work<T> work) {
        lock.lock();
        try {
            if (lock.getHoldCount() > 1) return work.run(connection);
            return commit(connection, work);
        } catch (SQLException e) {
            throw StoreException.of(dir, null, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} on a read-only connection, off the lock of {@link #transaction}: it sees what
     * was last committed and never waits for a writer. For the request threads' lookups.
     */
    public <T> T read(Work<T> work) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to read the store", e);
        }
        try {
            // one read transaction for the whole work, so it reads one commit
            return commit(c, work);
        } catch (SQLException e) {
            throw StoreException.of(dir, null, e);
        } finally {
            readers.add(c);
        }
    }

    /** {@code work} in one transaction on {@code c}: all committed, or none. */
    private static <T> T commit(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        Throwable failed = null;
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (Throwable t) {
            failed = t;
            // SQLite rolls back by itself on some errors (a full disk, an I/O error): then rollback, and
            // the commit that leaving the transaction makes, fail with "no transaction is active".
            // Those follow from the first failure and must never stand in for it.
            try {
                c.rollback();
            } catch (SQLException r) {
                t.addSuppressed(r);
            }
            throw t;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException e) {
                if (failed == null) throw e;
                failed.addSuppressed(e);
            }
        }
    }

    /** {@link #transaction(Work)} for work without a result. */
    public void transaction(Runnable work) {
        transaction(c -> {
            work.run();
            return null;
        });
    }

    /** Counts for monitoring, each one indexed COUNT: projects, tasks, tasks with errors, stored features, events by state. */
    public Map<String, Long> figures() {
        return transaction(c -> {
            Map<String, Long> out = new LinkedHashMap<>();
            String[][] counts = {
                    {"projects", "SELECT COUNT(*) FROM projects"},
                    {"tasks", "SELECT COUNT(*) FROM tasks"},
                    {"task_errors", "SELECT COUNT(*) FROM tasks WHERE error IS NOT NULL"},
                    {"features", "SELECT COUNT(*) FROM features"}};
            for (String[] q : counts) out.put(q[0], Sql.query(c, q[1], r -> r.getLong(1)).get(0));
            for (String state : new String[] {"queued", "processing", "done", "failed"}) {
                out.put("events_" + state, Sql.query(c, "SELECT COUNT(*) FROM events WHERE state = ?", r -> r.getLong(1), state).get(0));
            }
            return out;
        });
    }

    public ProjectStore projects() { return projects; }
    public TaskStore tasks() { return tasks; }
    public FeatureStore features() { return features; }
    public EventQueue events() { return events; }
    public OrderStore orders() { return orders; }
    public ViewStore views() { return views; }
    public LabelStore labels() { return labels; }
    public QueueStore queue() { return queue; }

    public Path file() { return file; }
    /** The schema version after migrations. */
    int schemaVersion() { return schemaVersion; }
    /** Events found {@code processing} on open, left by a crash, and put back in the queue. */
    int requeuedOnOpen() { return requeued; }

    long now() {
        return clock.millis();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (connection.isClosed()) return;
            for (Connection r : readers) r.close();
            // fold the WAL into the main file so a copied exemplar.db alone is complete
            try (var s = connection.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException ignored) {
                // best effort: the WAL is replayed on the next open anyway
            }
            connection.close();
        } catch (SQLException e) {
            throw StoreException.of(dir, "cannot close " + file, e);
        } finally {
            try {
                dirLock.release();
                lockChannel.close();
            } catch (IOException ignored) {
                // the lock goes with the process anyway
            }
            lock.unlock();
        }
    }
}

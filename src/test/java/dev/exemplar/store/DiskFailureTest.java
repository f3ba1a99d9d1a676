package dev.exemplar.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A failing disk under the data directory is named as such, and the store works again once it is back. */
class DiskFailureTest {
    @TempDir Path dir;

    @Test
    void aFullDiskMidTransactionIsNamedAndTheFollowOnCommitErrorDoesNotHideIt() {
        FaultyDisk disk = new FaultyDisk();
        try (Store store = disk.open(dir)) {
            store.projects().ensure(1);
            disk.fillAfter(2);
            assertThatThrownBy(() -> store.transaction(() -> {
                store.projects().phase(1, SyncPhase.FEATURES, 10);
                store.projects().progress(1, 5, 10); // the disk fills here; SQLite rolls back
                store.projects().error(1, "never written");
            }))
                    .isInstanceOf(StoreException.Disk.class)
                    .hasMessageStartingWith("the disk holding " + dir + " is full: ")
                    .hasMessageNotContaining("no transaction is active")
                    .hasRootCauseInstanceOf(SQLiteException.class)
                    .satisfies(e -> assertThat(Arrays.toString(e.getSuppressed())).as("kept beside it").contains("no transaction is active"));
            assertThat(disk.failures()).isEqualTo(1);

            disk.heal();
            assertThat(store.projects().get(1).orElseThrow().syncPhase()).as("nothing of the failed transaction").isEqualTo(SyncPhase.NEW);
            store.projects().phase(1, SyncPhase.FEATURES, 10);
            assertThat(store.projects().get(1).orElseThrow().syncPhase()).isEqualTo(SyncPhase.FEATURES);
        }
    }

    @Test
    void aFullDiskOnASingleWriteIsNamed() {
        FaultyDisk disk = new FaultyDisk();
        try (Store store = disk.open(dir)) {
            disk.fillAfter(1);
            assertThatThrownBy(() -> store.projects().ensure(1))
                    .isInstanceOf(StoreException.Disk.class)
                    .hasMessageStartingWith("the disk holding " + dir + " is full: ");
        }
    }

    @Test
    void readOnlyAndIoErrorsSayWhatTheyAre() {
        FaultyDisk readOnly = new FaultyDisk(SQLiteErrorCode.SQLITE_READONLY);
        try (Store store = readOnly.open(dir)) {
            readOnly.fillAfter(1);
            assertThatThrownBy(() -> store.projects().ensure(1)).hasMessageStartingWith("the data directory " + dir + " is read-only: ");
        }
        FaultyDisk io = new FaultyDisk(SQLiteErrorCode.SQLITE_IOERR_WRITE);
        try (Store store = io.open(dir)) {
            io.fillAfter(1);
            assertThatThrownBy(() -> store.projects().ensure(1)).hasMessageStartingWith("cannot write to " + dir + ": I/O error: ");
        }
    }
}

package dev.exemplar.cli;

import dev.exemplar.summary.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.exemplar.cli.CliFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code exemplar summarize FOLDER} on a folder holding what is not an image file: every such entry is named in the
 * errors with its reason, nothing is read whole before its size is known, and the good images are ordered.
 */
class FolderHazardsTest {
    @TempDir
    static Path tmp;
    static Path folder;
    static List<String> good = new ArrayList<>();
    static boolean fifo;
    static boolean latin1;
    static boolean permissionsBite;
    static CliFixtures.Outcome outcome;
    static Result result;
    static Map<String, String> errors;

    @BeforeAll
    static void summarise() throws Exception {
        folder = tmp.resolve("data");
        good.addAll(CliFixtures.goodImages(folder, 4));
        Files.createSymbolicLink(folder.resolve("gone.jpg"), Path.of("missing.jpg"));
        Files.createSymbolicLink(folder.resolve("self.jpg"), Path.of("self.jpg"));
        Files.createDirectories(folder.resolve("sub"));
        Files.createSymbolicLink(folder.resolve("sub/up"), Path.of(".."));
        Files.createDirectories(folder.resolve("album.jpg"));
        try (RandomAccessFile f = new RandomAccessFile(folder.resolve("huge.jpg").toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: created at once, and must never be read
        }
        try (RandomAccessFile f = new RandomAccessFile(folder.resolve("big.jpg").toFile(), "rw")) {
            f.setLength((64L << 20) + 1); // one byte above the default limit
        }
        fifo = sh("mkfifo pipe.jpg");
        // a Latin-1 name: the byte 0xE9 is not UTF-8
        latin1 = sh("cp img00.jpg \"$(printf 'caf\\351.jpg')\"");
        if (latin1) good.add("caf\\xe9.jpg");
        Path locked = folder.resolve("locked.jpg");
        Files.copy(folder.resolve("img01.jpg"), locked);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        // root reads whatever the permissions say
        permissionsBite = !Files.isReadable(locked);
        if (!permissionsBite) good.add("locked.jpg");

        Path out = tmp.resolve("result.json");
        outcome = run("summarize", folder.toString(), "--out", out.toString());
        result = Result.read(out);
        errors = result.errors().stream().collect(Collectors.toMap(Result.ItemError::item, Result.ItemError::error));
    }

    /** Runs a shell command in the folder; false when the tool is missing or fails. */
    private static boolean sh(String command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("sh", "-c", command).directory(folder.toFile()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void theRunSucceedsAndTheGoodImagesAreOrdered() {
        assertThat(outcome.code()).as(outcome.err()).isZero();
        assertThat(result.order()).containsExactlyInAnyOrderElementsOf(good);
    }

    @Test
    void linksThatLeadNowhereAreNamed() {
        assertThat(errors.get("gone.jpg")).contains("dangling symbolic link to missing.jpg");
        assertThat(errors.get("self.jpg")).contains("symbolic link loop");
        assertThat(errors.get("sub/up")).contains("symbolic link loop");
    }

    @Test
    void aDirectoryNamedLikeAnImageIsNamed() {
        assertThat(errors.get("album.jpg")).contains("a directory named like an image");
    }

    @Test
    void filesAboveTheLimitAreRefusedUnread() {
        assertThat(errors.get("huge.jpg")).contains("huge.jpg is 3221225472 bytes, more than the limit of 67108864 bytes");
        assertThat(errors.get("big.jpg")).contains("more than the limit of 67108864 bytes");
    }

    @Test
    void aFifoIsNamedAndNotOpened() {
        org.junit.jupiter.api.Assumptions.assumeTrue(fifo, "mkfifo is not available");
        assertThat(errors.get("pipe.jpg")).contains("a FIFO, not a regular file; not opened");
    }

    @Test
    void aNameThatIsNotUtf8StaysMappableToItsFile() {
        org.junit.jupiter.api.Assumptions.assumeTrue(latin1, "could not create a Latin-1 file name");
        assertThat(result.order()).contains("caf\\xe9.jpg");
        assertThat(result.order()).noneMatch(n -> n.contains("\uFFFD"));
        // the escape is of the name's bytes: valid UTF-8 stays as it is
        assertThat(FolderSource.utf8Escaped(new byte[] {'c', 'a', 'f', (byte) 0xe9, '.', 'j', 'p', 'g'})).isEqualTo("caf\\xe9.jpg");
        assertThat(FolderSource.utf8Escaped("café.jpg".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo("café.jpg");
    }

    @Test
    void anUnreadableFileNamesTheCause() {
        org.junit.jupiter.api.Assumptions.assumeTrue(permissionsBite, "running as root: permissions do not keep it out");
        assertThat(errors.get("locked.jpg")).contains("permission denied (AccessDeniedException)");
    }

    @Test
    void nothingElseIsAnError() {
        List<String> expected = new ArrayList<>(List.of("gone.jpg", "self.jpg", "sub/up", "album.jpg", "huge.jpg", "big.jpg"));
        if (fifo) expected.add("pipe.jpg");
        if (permissionsBite) expected.add("locked.jpg");
        assertThat(errors).containsOnlyKeys(expected);
    }
}

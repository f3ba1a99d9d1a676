package dev.exemplar.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Images of a folder put into another one under their relative paths, by copy or link. A name that would lead out of
 * either folder ({@code ..}, an absolute path, a symbolic link in the target that points elsewhere) is never written;
 * neither is a file that cannot be read: each is skipped with the reason and the rest go on.
 */
final class SubsetExport {
    /** How an image gets into the subset. */
    enum Mode {
        COPY, HARDLINK, SYMLINK;

        static Mode of(String text) {
            for (Mode m : values()) if (m.name().equalsIgnoreCase(text.strip())) return m;
            throw new CliFailure("unknown --mode " + text + ": expected copy, hardlink or symlink");
        }
    }

    /** An item not written, and why. */
    record Skipped(String item, String why) { }

    /** What was written: the items, in order, and those skipped. */
    record Outcome(List<String> written, List<Skipped> skipped) { }

    private SubsetExport() { }

    /** Writes the first {@code count} items of {@code items} that can be, skipping the others. */
    static Outcome write(List<String> items, int count, Path source, Path target, Mode mode) throws IOException {
        Path from = source.toAbsolutePath().normalize(), to = target.toAbsolutePath().normalize();
        Files.createDirectories(to);
        Path realTo = to.toRealPath();
        List<String> written = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (String item : items) {
            if (written.size() == count) break;
            String why = put(item, from, to, realTo, mode);
            if (why == null) written.add(item); else skipped.add(new Skipped(item, why));
        }
        return new Outcome(written, skipped);
    }

    /** Null when the item was written, else why not. */
    private static String put(String item, Path from, Path to, Path realTo, Mode mode) {
        String outside = "the name leads outside the folder; not written";
        if (!plainRelative(item)) return outside;
        Path file, copy;
        try {
            file = from.resolve(item).normalize();
            copy = to.resolve(item).normalize();
        } catch (InvalidPathException e) {
            return "not a valid path: " + e.getReason();
        }
        if (!file.startsWith(from) || !copy.startsWith(to)) return outside;
        if (!Files.isRegularFile(file)) return Files.exists(file) ? "not a regular file in the source folder" : "missing from the source folder";
        if (!Files.isReadable(file)) return "cannot be read (permission denied)";
        Path parent = copy.getParent();
        try {
            // a folder of the target may be a link to elsewhere (with --force, into a folder that had one)
            if (!existingPart(parent).toRealPath().startsWith(realTo)) return "its folder in the target leads outside it; not written";
            Files.createDirectories(parent);
            switch (mode) {
                case COPY -> Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                case HARDLINK -> {
                    Files.deleteIfExists(copy);
                    Files.createLink(copy, file.toRealPath());
                }
                case SYMLINK -> {
                    Files.deleteIfExists(copy);
                    Files.createSymbolicLink(copy, file.toRealPath());
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot " + mode.name().toLowerCase(Locale.ROOT) + ": " + describe(e);
        }
        return null;
    }

    /** The longest part of the path that exists; the target folder itself at least. */
    private static Path existingPart(Path p) {
        Path at = p;
        while (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) at = at.getParent();
        return at;
    }

    /** A name the subset may hold: relative, with '/', and no empty, {@code .} or {@code ..} segment. */
    static boolean plainRelative(String name) {
        if (name.isEmpty() || name.startsWith("/")) return false;
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) return false;
        }
        return true;
    }

    private static String describe(Exception e) {
        return e instanceof IOException io ? Main.describeWrite(io) : Main.describe(e);
    }
}

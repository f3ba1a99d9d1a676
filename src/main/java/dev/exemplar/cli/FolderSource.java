package dev.exemplar.cli;

import dev.exemplar.fetch.FetchPolicy;
import dev.exemplar.fetch.FileKind;
import dev.exemplar.summary.Item;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Items of a folder: every regular, non-hidden file below it, named by its relative path with '/'. Every other
 * non-hidden entry the walk meets and cannot read (a dangling or looping symbolic link, a FIFO, device or socket,
 * a folder it may not list, a directory named like an image) is an item whose reader fails with the reason, so it
 * ends up named in the result's errors. Files are read under the {@link FetchPolicy}'s size limit.
 *
 * <p>A name whose bytes are not valid UTF-8 (e.g. Latin-1) keeps its valid parts and has each other byte written
 * as {@code \xHH}, so the name in the result and the report still says which file it is
 * ({@code $'caf\xe9.jpg'} in a shell); the item itself reads the file through its path, not its name.
 */
final class FolderSource {
    private static final Pattern IMAGE_NAME =
            Pattern.compile(".*\\.(jpe?g|png|gif|bmp|webp|tiff?|heic|avif)$", Pattern.CASE_INSENSITIVE);

    private FolderSource() { }

    static List<Item> items(Path root) throws IOException {
        return items(root, FetchPolicy.anyHostUnlessListed(List.of(), FetchPolicy.DEFAULT_MAX_BYTES));
    }

    static List<Item> items(Path root, FetchPolicy policy) throws IOException {
        List<Item> items = new ArrayList<>();
        // links are followed (datasets are often assembled from links); loops are detected by the walk
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(root)) return FileVisitResult.CONTINUE;
                if (hidden(dir)) return FileVisitResult.SKIP_SUBTREE;
                if (IMAGE_NAME.matcher(dir.getFileName().toString()).matches()) {
                    items.add(failing(name(root, dir), "a directory named like an image, not an image file"
                            + " (the files in it, if any, are items of their own)"));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (hidden(file)) return FileVisitResult.CONTINUE;
                String name = name(root, file);
                if (attrs.isRegularFile()) {
                    items.add(new Item(name, () -> policy.readFile(file, name)));
                } else if (attrs.isSymbolicLink()) {
                    // the walk could not follow it, so it gave the link's own attributes
                    items.add(failing(name, brokenLink(file)));
                } else {
                    items.add(failing(name, FileKind.of(file) + ", not a regular file; not opened"));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (hidden(file)) return FileVisitResult.CONTINUE;
                String why = e instanceof FileSystemLoopException
                        ? "a symbolic link loop (it leads back to a folder it is in); not followed"
                        : "cannot list or open: " + FetchPolicy.describe(e);
                items.add(failing(name(root, file), why));
                return FileVisitResult.CONTINUE;
            }
        });
        items.sort(Comparator.comparing(Item::name));
        return items;
    }

    private static Item failing(String name, String why) {
        return new Item(name, () -> {
            throw new IOException(why);
        });
    }

    /** Why a link the walk could not follow cannot be read: it points nowhere, or round in a loop. */
    static String brokenLink(Path link) {
        String target = "";
        try {
            target = " to " + Files.readSymbolicLink(link);
        } catch (IOException | UnsupportedOperationException e) {
            // the target stays unnamed
        }
        try {
            link.toRealPath();
            return "a symbolic link" + target + " that could not be followed";
        } catch (NoSuchFileException e) {
            return "a dangling symbolic link" + target + " (its target does not exist)";
        } catch (FileSystemException e) {
            String reason = String.valueOf(e.getReason()).toLowerCase(Locale.ROOT);
            return reason.contains("levels of symbolic links") || reason.contains("loop")
                    ? "a symbolic link loop" + target + "; not followed"
                    : "a symbolic link" + target + " that cannot be followed: " + FetchPolicy.describe(e);
        } catch (IOException e) {
            return "a symbolic link" + target + " that cannot be followed: " + FetchPolicy.describe(e);
        }
    }

    private static boolean hidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    /** The relative path with '/', or, when its bytes are not a valid name in the platform's encoding, as escaped. */
    static String name(Path root, Path file) {
        Path rel = root.relativize(file);
        String s = rel.toString();
        try {
            if (rel.getFileSystem().getPath(s).equals(rel)) return s.replace(file.getFileSystem().getSeparator(), "/");
        } catch (InvalidPathException e) {
            // the decoded name is not even a path: escape it
        }
        return escaped(root, file, s);
    }

    /**
     * The relative path's own bytes (a file URI holds them percent-encoded), valid UTF-8 kept and each other
     * byte as {@code \xHH}.
     */
    private static String escaped(Path root, Path file, String fallback) {
        String r = root.toAbsolutePath().toUri().getRawPath();
        String f = file.toAbsolutePath().toUri().getRawPath();
        if (!r.endsWith("/")) r = r + "/";
        if (!f.startsWith(r)) return fallback;
        String raw = f.substring(r.length());
        if (raw.endsWith("/")) raw = raw.substring(0, raw.length() - 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return utf8Escaped(bytes.toByteArray());
    }

    /** Valid UTF-8 decoded, every other byte as {@code \xHH}. */
    static String utf8Escaped(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length * 4 + 4);
        while (true) {
            CoderResult cr = d.decode(in, out, true);
            if (cr.isError()) {
                for (int k = 0; k < cr.length(); k++) out.put(String.format("\\x%02x", in.get() & 0xff));
                continue;
            }
            if (cr.isUnderflow()) break;
        }
        d.flush(out);
        out.flip();
        return out.toString();
    }
}

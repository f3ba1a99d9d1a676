package dev.exemplar.cli;

import dev.exemplar.summary.Item;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/** Items of a folder: every regular, non-hidden file below it, named by its relative path with '/'. */
final class FolderSource {
    private FolderSource() { }

    static List<Item> items(Path root) throws IOException {
        List<Item> items = new ArrayList<>();
        // links are followed (datasets are often assembled from links); loops are detected by the walk
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(root) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !hidden(file)) {
                    items.add(new Item(name(root, file), () -> Files.readAllBytes(file)));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                // an unreadable sub-folder is reported as an item error rather than silently dropped
                if (!hidden(file) && !(e instanceof FileSystemLoopException)) {
                    String why = e instanceof AccessDeniedException ? "permission denied" : Main.describe(e);
                    items.add(new Item(name(root, file), () -> {
                        throw new IOException("cannot list or open: " + why);
                    }));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        items.sort(Comparator.comparing(Item::name));
        return items;
    }

    private static boolean hidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    private static String name(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }
}

package dev.exemplar.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Report titles that name the source: "Exemplar summary: classes-dev (847 images)". */
public final class ReportTitle {
    /** Folder names that say what is inside rather than which collection it is, so the folder above names it better. */
    private static final Set<String> GENERIC = Set.of("images", "image", "imgs", "img", "pictures", "photos", "jpg", "jpeg", "png",
            "data", "files", "media", "raw");

    private ReportTitle() { }

    public static String summary(Path source, int images) {
        return of("Exemplar summary", source, images);
    }

    public static String analysis(Path source, int images) {
        return of("Exemplar analysis", source, images);
    }

    private static String of(String kind, Path source, int images) {
        return String.format(Locale.ROOT, "%s: %s (%,d image%s)", kind, sourceName(source), images, images == 1 ? "" : "s");
    }

    /**
     * A tasks export's file name; for a folder its last component, or the nearest above it that is not a generic
     * name such as {@code images} ({@code .../classes-dev/images} is classes-dev).
     */
    static String sourceName(Path source) {
        Path p = source.toAbsolutePath().normalize();
        if (Files.isRegularFile(p) || p.getFileName() == null) return p.getFileName() == null ? p.toString() : p.getFileName().toString();
        for (Path at = p; at != null && at.getFileName() != null; at = at.getParent()) {
            String name = at.getFileName().toString();
            if (!GENERIC.contains(name.toLowerCase(Locale.ROOT))) return name;
        }
        return p.getFileName().toString();
    }
}

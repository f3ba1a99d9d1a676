package dev.exemplar.labelstudio.standin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Serves a stand-in Label Studio with one project made of a folder's images (searched recursively; the first
 * LIMIT of them in path order when given), for measuring the backend against a running project
 * ({@code exemplar bench serve --label-studio ...}). Prints one JSON line with the URL, a personal access token
 * and the project id, then serves until killed. Usage: {@code StandInMain FOLDER [LIMIT]}.
 */
public final class StandInMain {
    /** A project made of images: its id, and a personal access token of its owner. */
    public record Served(long project, String key, int tasks) { }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : Integer.MAX_VALUE;
        LabelStudioStandIn ls = new LabelStudioStandIn();
        String url = ls.start();
        Served s = project(ls, images(folder, limit));
        System.out.println("{\"url\": \"" + url + "\", \"key\": \"" + s.key() + "\", \"project\": " + s.project()
                + ", \"tasks\": " + s.tasks() + "}");
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The image files under a folder, in path order, at most limit of them. */
    public static List<Path> images(Path folder, int limit) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)"))
                    .sorted().limit(limit).toList();
        }
    }

    /** A new project of one classification task per image, each image uploaded to the stand-in. */
    public static Served project(LabelStudioStandIn ls, List<Path> images) throws IOException {
        Seed.SeededUser admin = ls.seed().user("admin@example.com");
        long project = ls.seed().project(admin, "<View><Image name=\"image\" value=\"$image\"/>"
                + "<Choices name=\"label\" toName=\"image\"><Choice value=\"a\"/></Choices></View>");
        List<Map<String, ?>> datas = new ArrayList<>();
        int i = 0;
        for (Path p : images) datas.add(Map.of("image", ls.seed().upload(project + "/" + (i++) + "-" + p.getFileName(), Files.readAllBytes(p))));
        ls.seed().importTasks(project, datas);
        return new Served(project, admin.personalAccessToken(), datas.size());
    }
}

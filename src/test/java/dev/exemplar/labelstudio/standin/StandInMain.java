package dev.exemplar.labelstudio.standin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Serves a stand-in Label Studio with one project made of a folder's images, for measuring the
 * backend against a running project (`exemplar bench serve --label-studio ...`). Prints one JSON
 * line with the URL, a personal access token and the project id, then serves until killed.
 */
public final class StandInMain {
    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        LabelStudioStandIn ls = new LabelStudioStandIn();
        String url = ls.start();
        Seed.SeededUser admin = ls.seed().user("admin@example.com");
        long project = ls.seed().project(admin, "<View><Image name=\"image\" value=\"$image\"/>"
                + "<Choices name=\"label\" toName=\"image\"><Choice value=\"a\"/></Choices></View>");
        List<Map<String, ?>> datas = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : files.sorted().toList()) datas.add(Map.of("image", ls.seed().upload(project + "/" + p.getFileName(), Files.readAllBytes(p))));
        }
        ls.seed().importTasks(project, datas);
        System.out.println("{\"url\": \"" + url + "\", \"key\": \"" + admin.personalAccessToken() + "\", \"project\": " + project
                + ", \"tasks\": " + datas.size() + "}");
        System.out.flush();
        Thread.currentThread().join();
    }
}

package dev.exemplar.cli;

import dev.exemplar.summary.Item;
import dev.exemplar.summary.Pipeline;
import dev.exemplar.summary.Progress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Temporary entry point; replaced by the picocli commands. */
public final class Main {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        List<Item> items;
        try (Stream<Path> s = Files.walk(root)) {
            items = s.filter(Files::isRegularFile).sorted()
                    .map(p -> new Item(root.relativize(p).toString(), () -> Files.readAllBytes(p))).toList();
        }
        Pipeline.Options d = Pipeline.Options.defaults();
        Pipeline.Run run = Pipeline.run(items, new Pipeline.Options(args.length > 2 ? args[2] : "auto", 3, d.embeddings(), d.loader()), Progress.NONE);
        System.err.println(run.millis() + " verified=" + run.verifiedPairs() + " " + run.sizeReason());
        run.result().write(Path.of(args[1]));
    }
}

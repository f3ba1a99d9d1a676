package dev.exemplar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exemplar.json.Json;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten thousand 8 x 8 pictures fit in less heap than one large picture needs to be decoded: a run keeps each item's
 * descriptor and thumbnail in files, and about half a kilobyte an item in memory, so the whole folder is ordered
 * in a 64 MB JVM.
 */
class TinyImagesTest {
    private static final int IMAGES = 10_000;
    private static final long BOUND_SECONDS = 300;

    @TempDir
    Path tmp;

    @Test
    void tenThousandTinyImagesAreAllOrderedInA64MbHeap() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("tiny"));
        Random r = new Random(21);
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < IMAGES; i++) {
            for (int p = 0; p < 64; p++) img.setRGB(p % 8, p / 8, r.nextInt(1 << 24));
            String name = String.format("%05d.png", i);
            ImageIO.write(img, "png", data.resolve(name).toFile());
            names.add(name);
        }
        Path result = tmp.resolve("result.json");

        ChildJvm.Ended run = ChildJvm.run("-Xmx64m", tmp.resolve("log.txt"), BOUND_SECONDS, "summarize", data.toString(), "--out", result.toString());

        assertThat(run.exit()).as(run.output()).isZero();
        JsonNode json = Json.MAPPER.readTree(result.toFile());
        Set<String> ordered = new HashSet<>();
        json.get("order").forEach(n -> ordered.add(n.asText()));
        assertThat(json.get("order")).hasSize(IMAGES);
        assertThat(ordered).isEqualTo(names);
        assertThat(json.get("errors")).isEmpty();
    }
}

package dev.exemplar.summary;

import dev.exemplar.features.ImageFeatures;
import dev.exemplar.features.Kernels;
import dev.exemplar.image.ImageLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Why true near-duplicate pairs of a dev set are missed: each pair's cosine, aspect change, SSIM, colour and chroma. */
public final class DuplicateStudy {
    public static void main(String[] args) throws Exception {
        Path set = Path.of(args[0]);
        List<String> lines = Files.readAllLines(set.resolve("truth.csv"));
        Map<String, List<String>> dups = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            if (!f[3].isEmpty()) dups.computeIfAbsent(f[3], k -> new ArrayList<>()).add(f[0]);
        }
        Map<String, ImageFeatures> feats = new HashMap<>();
        ImageLoader loader = ImageLoader.defaults();
        for (List<String> g : dups.values()) for (String f : g) feats.put(f, ImageFeatures.of(Files.readAllBytes(set.resolve(f)), f, loader));
        int pairs = 0, cosFail = 0, aspFail = 0, accFail = 0;
        List<double[]> failed = new ArrayList<>();
        for (List<String> g : dups.values()) {
            for (int i = 0; i < g.size(); i++) for (int j = i + 1; j < g.size(); j++) {
                ImageFeatures a = feats.get(g.get(i)), b = feats.get(g.get(j));
                pairs++;
                double cos = Kernels.dotInDouble(a.descriptor(), b.descriptor());
                double asp = Math.max(a.aspect(), b.aspect()) / Math.min(a.aspect(), b.aspect());
                var ta = Duplicates.compared(a.thumbnail()); var tb = Duplicates.compared(b.thumbnail());
                Duplicates.Match m = Duplicates.compare(ta, tb, Duplicates.SIDE);
                double ca = Duplicates.chroma(ta), cb = Duplicates.chroma(tb);
                boolean ok = Duplicates.accepted(m, ca, cb, false, cos);
                if (cos < Duplicates.MIN_COSINE) cosFail++;
                else if (asp > Duplicates.MAX_ASPECT_CHANGE) aspFail++;
                else if (!ok) { accFail++; failed.add(new double[] {m.ssim(), m.colour(), ca, cb, cos}); }
            }
        }
        System.out.printf(Locale.ROOT, "pairs %d: cosine below %.2f %d, aspect %d, rule %d%n", pairs, Duplicates.MIN_COSINE, cosFail, aspFail, accFail);
        for (double[] f : failed) System.out.printf(Locale.ROOT, "  ssim %.3f colour %.2f chroma %.1f/%.1f cos %.3f%n", f[0], f[1], f[2], f[3], f[4]);
    }
}

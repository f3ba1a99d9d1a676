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

/**
 * Why near-duplicate pairs of a labelled set are refused, and what a looser rule would admit: every true pair (same
 * {@code dup}) and every candidate pair the engine would look at (each item's nearest, cosine at least 0.8, up to 5)
 * that is not one, with the aligned SSIM, the colour difference and the pair's chroma. {@code DuplicateStudy SET}.
 */
public final class DuplicateStudy {
    record Pair(boolean copy, double ssim, double colour, double chroma, boolean grey, double cosine, boolean aspectOk) { }

    public static void main(String[] args) throws Exception {
        Path set = Path.of(args[0]);
        List<String> lines = Files.readAllLines(set.resolve("truth.csv"));
        List<String> files = new ArrayList<>();
        Map<String, String> dup = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",", -1);
            files.add(f[0]);
            dup.put(f[0], f[3]);
        }
        ImageLoader loader = ImageLoader.defaults();
        List<ImageFeatures> feats = new ArrayList<>();
        for (String f : files) feats.add(ImageFeatures.of(Files.readAllBytes(set.resolve(f)), f, loader));
        int n = files.size();
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] cos = new double[n];
            for (int j = 0; j < n; j++) cos[j] = j == i ? -2 : Kernels.dotInDouble(feats.get(i).descriptor(), feats.get(j).descriptor());
            List<Integer> near = new ArrayList<>();
            for (int j = 0; j < n; j++) if (j > i || true) near.add(j);
            near.sort((a, b) -> Double.compare(cos[b], cos[a]));
            for (int t = 0; t < n; t++) {
                int j = near.get(t);
                boolean copy = !dup.get(files.get(i)).isEmpty() && dup.get(files.get(i)).equals(dup.get(files.get(j)));
                boolean candidate = t < Duplicates.CANDIDATES && cos[j] >= Duplicates.MIN_COSINE;
                if (!(copy && j > i) && !(candidate && !copy && j > i)) continue;
                ImageFeatures a = feats.get(i), b = feats.get(j);
                var ta = Duplicates.compared(a.thumbnail());
                var tb = Duplicates.compared(b.thumbnail());
                Duplicates.Match m = Duplicates.compare(ta, tb, Duplicates.SIDE);
                double ca = Duplicates.chroma(ta), cb = Duplicates.chroma(tb);
                double asp = Math.max(a.aspect(), b.aspect()) / Math.min(a.aspect(), b.aspect());
                pairs.add(new Pair(copy, m.ssim(), m.colour(), (ca + cb) / 2, ca < Duplicates.GREY_CHROMA && cb < Duplicates.GREY_CHROMA,
                        cos[j], asp <= Duplicates.MAX_ASPECT_CHANGE));
            }
        }
        for (double t : new double[] {0.94, 0.955, 0.96, 0.965, 0.97, 0.975, 0.98, 0.985}) {
            int tp = 0, fp = 0, copies = 0;
            for (Pair p : pairs) {
                if (!p.grey()) continue;
                if (p.copy()) copies++;
                boolean ok = p.aspectOk() && p.cosine() >= Duplicates.MIN_COSINE && p.ssim() >= t;
                if (ok && p.copy()) tp++;
                if (ok && !p.copy()) fp++;
            }
            System.out.printf(Locale.ROOT, "grey pairs, ssim >= %.3f: true pairs accepted %d of %d, other candidates accepted %d%n", t, tp, copies, fp);
        }
        for (double share : new double[] {0, 0.05, 0.1, 0.15, 0.2}) {
            int tp = 0, fp = 0, copies = 0;
            for (Pair p : pairs) {
                if (p.copy()) copies++;
                boolean ok = p.aspectOk() && p.cosine() >= Duplicates.MIN_COSINE && (p.grey() ? p.ssim() >= Duplicates.GREY_SSIM
                        : p.ssim() >= Duplicates.DRAWING_SSIM && p.colour() <= Duplicates.DRAWING_COLOUR + share * p.chroma());
                if (ok && p.copy()) tp++;
                if (ok && !p.copy()) fp++;
            }
            System.out.printf(Locale.ROOT, "colour <= %.1f + %.2f chroma: true pairs accepted %d of %d, other candidates accepted %d%n",
                    Duplicates.DRAWING_COLOUR, share, tp, copies, fp);
        }
    }
}

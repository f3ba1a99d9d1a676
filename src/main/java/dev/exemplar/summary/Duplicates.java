package dev.exemplar.summary;

import dev.exemplar.features.Ssim;
import dev.exemplar.image.Thumbnail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Near-duplicate groups: candidate pairs from the neighbour graph, confirmed by structural
 * similarity of the lightness thumbnails under the best small shift (re-encoded, resized and
 * slightly cropped copies are off by a pixel or two) and by matching colour layout, then joined
 * into connected components.
 */
final class Duplicates {
    static final int CANDIDATES = 5;
    static final float MIN_COSINE = 0.80f;
    static final double MIN_SSIM = 0.80;
    static final double MAX_COLOUR_DIFF = 6.0;
    static final int MAX_SHIFT = 2;

    private Duplicates() { }

    static List<int[]> groups(NeighbourGraph g, Thumbnail[] thumbs, Progress progress) {
        int n = g.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) parent[i] = i;
        List<int[]> confirmed = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> dump = System.getenv("DUPDUMP") != null ? java.util.Collections.synchronizedList(new ArrayList<>()) : null;
        progress.phase("duplicates", n);
        IntStream.range(0, n).parallel().forEach(i -> {
            int[] nb = g.neighbours(i);
            float[] s = g.similarities(i);
            for (int t = 0; t < Math.min(CANDIDATES, nb.length); t++) {
                int j = nb[t];
                if (s[t] < MIN_COSINE) break;
                if (j < i && contains(g.neighbours(j), i, CANDIDATES)) continue; // seen from j
                double ssim = alignedSsim(thumbs[i], thumbs[j]);
                double colour = colourDifference(thumbs[i], thumbs[j]);
                if (dump != null) dump.add(i + "," + j + "," + s[t] + "," + ssim + "," + colour);
                if (ssim >= MIN_SSIM && colour <= MAX_COLOUR_DIFF) confirmed.add(new int[] {i, j});
            }
            progress.advance(1);
        });
        if (dump != null) {
            try { java.nio.file.Files.write(java.nio.file.Path.of(System.getenv("DUPDUMP")), dump); } catch (java.io.IOException e) { throw new RuntimeException(e); }
        }
        for (int[] p : confirmed) union(parent, p[0], p[1]);
        Map<Integer, List<Integer>> byRoot = new HashMap<>();
        for (int i = 0; i < n; i++) byRoot.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(i);
        List<int[]> out = new ArrayList<>();
        for (List<Integer> members : byRoot.values()) {
            if (members.size() > 1) out.add(members.stream().mapToInt(Integer::intValue).sorted().toArray());
        }
        out.sort((a, b) -> Integer.compare(a[0], b[0]));
        return out;
    }

    private static boolean contains(int[] a, int v, int limit) {
        for (int t = 0; t < Math.min(limit, a.length); t++) if (a[t] == v) return true;
        return false;
    }

    /** The best SSIM of the lightness planes over shifts of up to MAX_SHIFT pixels, on the overlap. */
    static double alignedSsim(Thumbnail a, Thumbnail b) {
        int s = a.size();
        double best = -1;
        for (int dy = -MAX_SHIFT; dy <= MAX_SHIFT; dy++) {
            for (int dx = -MAX_SHIFT; dx <= MAX_SHIFT; dx++) {
                int w = s - Math.abs(dx), h = s - Math.abs(dy);
                float[] x = new float[w * h], y = new float[w * h];
                for (int r = 0; r < h; r++) {
                    int ya = r + Math.max(0, dy), yb = r + Math.max(0, -dy);
                    System.arraycopy(a.l(), ya * s + Math.max(0, dx), x, r * w, w);
                    System.arraycopy(b.l(), yb * s + Math.max(0, -dx), y, r * w, w);
                }
                best = Math.max(best, Ssim.ssim(x, y, w, h, 100));
            }
        }
        return best;
    }

    /** Mean absolute difference of a* and b* over an 8 x 8 grid: copies keep their colours, variants do not. */
    static double colourDifference(Thumbnail a, Thumbnail b) {
        int s = a.size(), cell = s / 8;
        double total = 0;
        for (int gy = 0; gy < 8; gy++) {
            for (int gx = 0; gx < 8; gx++) {
                double da = 0, db = 0;
                for (int y = gy * cell; y < (gy + 1) * cell; y++) {
                    for (int x = gx * cell; x < (gx + 1) * cell; x++) {
                        da += a.a()[y * s + x] - b.a()[y * s + x];
                        db += a.b()[y * s + x] - b.b()[y * s + x];
                    }
                }
                total += (Math.abs(da) + Math.abs(db)) / (cell * cell);
            }
        }
        return total / 64;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a), rb = find(parent, b);
        if (ra != rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
}

package dev.exemplar.analysis;

import dev.exemplar.features.Ssim;
import dev.exemplar.summary.Progress;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * k-means with SSIM in place of Euclidean distance, the paper's suggestion for sets too large for
 * the n x n matrix (section 4.3): every image joins the centre it is most similar to, and a
 * centre is the mean image of its members, so each round costs about n x (candidates) SSIMs
 * rather than n^2. The rounds start from Euclidean k-means++ seeded k-means on 16 x 16 lightness
 * images, and an image is compared by SSIM only with the {@value #CANDIDATES} centres nearest to
 * it in that space, which holds the centres SSIM can prefer.
 */
final class SsimKMeans {
    static final int CANDIDATES = 8, ROUNDS = 10, SMALL = 16;

    /**
     * @param representative per cluster, the member most similar to its centre
     * @param similarity     per item, its SSIM to its centre
     */
    record Result(int clusters, int[] assignment, int[] representative, float[] similarity, int rounds) { }

    private SsimKMeans() { }

    static Result run(List<Ssim.Prepared> images, int k, long seed, Progress progress) {
        int n = images.size();
        if (k < 1 || k > n) throw new IllegalArgumentException("clusters must be between 1 and " + n + ": " + k);
        int side = images.get(0).width();
        float[][] pixels = new float[n][], small = new float[n][];
        for (int i = 0; i < n; i++) {
            pixels[i] = images.get(i).pixels();
            small[i] = shrink(pixels[i], side, SMALL);
        }
        progress.phase("k-means", 1);
        int[] a = KMeans.cluster(small, k, seed, WaveletClustering.MAX_ITERATIONS).assignment();
        float[] sim = new float[n];
        int round = 0;
        for (; round < ROUNDS; round++) {
            float[][] centres = means(pixels, a, k);
            float[][] centresSmall = new float[k][];
            Ssim.Prepared[] prepared = new Ssim.Prepared[k];
            for (int c = 0; c < k; c++) {
                if (centres[c] == null) continue;
                centresSmall[c] = shrink(centres[c], side, SMALL);
                prepared[c] = Ssim.prepare(centres[c], side, side, images.get(0).range());
            }
            int[] current = a;
            progress.phase("ssim k-means round " + (round + 1), n);
            int[] next = IntStream.range(0, n).parallel().map(i -> {
                int[] cand = nearest(small[i], centresSmall, CANDIDATES, current[i]);
                int best = current[i];
                double bestSim = Double.NEGATIVE_INFINITY;
                for (int c : cand) {
                    double v = Ssim.ssim(images.get(i), prepared[c]);
                    if (v > bestSim) {
                        bestSim = v;
                        best = c;
                    }
                }
                sim[i] = (float) bestSim;
                progress.advance(1);
                return best;
            }).toArray();
            boolean stable = Arrays.equals(next, a);
            a = next;
            if (stable) break;
        }
        // renumber without empty clusters; keep, per cluster, the member most similar to its centre
        int[] id = new int[k];
        Arrays.fill(id, -1);
        int used = 0;
        for (int i = 0; i < n; i++) if (id[a[i]] < 0) id[a[i]] = used++;
        int[] assignment = new int[n], rep = new int[used];
        Arrays.fill(rep, -1);
        for (int i = 0; i < n; i++) {
            int c = id[a[i]];
            assignment[i] = c;
            if (rep[c] < 0 || sim[i] > sim[rep[c]]) rep[c] = i;
        }
        return new Result(used, assignment, rep, sim, Math.min(round + 1, ROUNDS));
    }

    /** Mean image per cluster; null for an empty cluster. */
    private static float[][] means(float[][] x, int[] a, int k) {
        int d = x[0].length;
        double[][] sum = new double[k][];
        int[] count = new int[k];
        for (int i = 0; i < x.length; i++) {
            if (sum[a[i]] == null) sum[a[i]] = new double[d];
            count[a[i]]++;
            for (int t = 0; t < d; t++) sum[a[i]][t] += x[i][t];
        }
        float[][] out = new float[k][];
        for (int c = 0; c < k; c++) {
            if (count[c] == 0) continue;
            out[c] = new float[d];
            for (int t = 0; t < d; t++) out[c][t] = (float) (sum[c][t] / count[c]);
        }
        return out;
    }

    /** The m centres nearest to v (Euclidean), always including {@code current}. */
    private static int[] nearest(float[] v, float[][] centres, int m, int current) {
        int k = centres.length;
        int[] best = new int[Math.min(m, k)];
        double[] dist = new double[best.length];
        int size = 0;
        for (int c = 0; c < k; c++) {
            if (centres[c] == null) continue;
            double d = 0;
            for (int t = 0; t < v.length; t++) {
                double e = v[t] - centres[c][t];
                d += e * e;
            }
            if (size < best.length) {
                best[size] = c;
                dist[size++] = d;
            } else {
                int worst = 0;
                for (int t = 1; t < size; t++) if (dist[t] > dist[worst]) worst = t;
                if (d >= dist[worst]) continue;
                best[worst] = c;
                dist[worst] = d;
            }
        }
        int[] out = Arrays.copyOf(best, size);
        if (centres[current] != null && Arrays.stream(out).noneMatch(c -> c == current)) {
            out = Arrays.copyOf(out, size + 1);
            out[size] = current;
        }
        return out;
    }

    /** Area average of a side x side image down to to x to. */
    private static float[] shrink(float[] p, int side, int to) {
        if (side % to != 0) throw new IllegalArgumentException(side + " is not a multiple of " + to);
        int f = side / to;
        float[] out = new float[to * to];
        for (int y = 0; y < side; y++) for (int x = 0; x < side; x++) out[(y / f) * to + x / f] += p[y * side + x] / (f * f);
        return out;
    }
}

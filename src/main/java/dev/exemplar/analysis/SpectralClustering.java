package dev.exemplar.analysis;

import dev.exemplar.features.Vectors;
import dev.exemplar.summary.Progress;
import dev.exemplar.summary.UnionFind;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Spectral clustering of a similarity matrix (Algorithm 2, lines 8 to 10; von Luxburg 2007).
 *
 * <p>The graph is the similarity's epsilon-neighbourhood graph: items are linked, with their
 * similarity as weight, where it reaches {@code link}, and each keeps its self-similarity of 1.
 * Without the cut, the many weak similarities every image has with unrelated ones (SSIM about 0.1
 * each, over thousands of items) would outweigh a tight pair, and no small group could show in
 * the spectrum. The graph Laplacian is the normalised L = I - D^-1/2 W D^-1/2; its eigenvalues are
 * those of the connected components' Laplacians, so each component is decomposed on its own (EJML's
 * symmetric QR algorithm), exactly and far faster than the whole matrix. Each component gives one
 * eigenvalue 0; the number of clusters is where the first eigengap larger than gamma follows (at
 * least the number of components). Each component is then split in as many clusters as it has
 * eigenvalues among the first k, by k-means++ seeded k-means on the rows of its eigenvectors scaled
 * to unit length (Ng, Jordan and Weiss 2002).
 */
final class SpectralClustering {

    /**
     * @param eigenvalues    of the normalised Laplacian, ascending
     * @param link           the similarity from which items are linked
     * @param components     connected components of the linked graph
     * @param choice         how the number of clusters was chosen (null when it was given)
     * @param assignment     cluster of every item, 0 to clusters - 1
     * @param representative per cluster, the member with the largest total similarity to the others
     */
    record Result(double[] eigenvalues, double link, int components, Eigengap.Choice choice, int clusters,
                         int[] assignment, int[] representative) { }

    /** A link must stand out this many robust standard deviations above the typical pair. */
    static final double BACKGROUND_DEVIATIONS = 5;

    private SpectralClustering() { }

    /**
     * The default link level: the median of all pairs' similarity plus {@value #BACKGROUND_DEVIATIONS}
     * robust standard deviations (1.4826 times the median absolute deviation), so that links stand
     * out from the similarity any two unrelated images of the dataset have. Histogram quantiles (to
     * 1e-4) keep this linear in memory.
     */
    static double backgroundLevel(SimilarityMatrix s) {
        int n = s.rows(), bins = 20_000;
        long[] hist = new long[bins + 1];
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                hist[bin(s.get(i, j), bins)]++;
                pairs++;
            }
        }
        if (pairs == 0) return 1;
        double median = quantile(hist, pairs, bins);
        long[] dev = new long[bins + 1];
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) dev[bin((float) (Math.abs(s.get(i, j) - median) - 1), bins)]++;
        double mad = quantile(dev, pairs, bins) + 1;
        return Math.min(1, median + BACKGROUND_DEVIATIONS * 1.4826 * mad);
    }

    private static int bin(float v, int bins) {
        return (int) Math.max(0, Math.min(bins, Math.round((v + 1) / 2 * bins)));
    }

    private static double quantile(long[] hist, long count, int bins) {
        long half = (count + 1) / 2, seen = 0;
        for (int b = 0; b <= bins; b++) if ((seen += hist[b]) >= half) return b * 2.0 / bins - 1;
        return 1;
    }

    /**
     * @param link     the similarity from which items are linked (NaN: {@link #backgroundLevel})
     * @param clusters the number of clusters, or 0 to choose it from the eigengaps larger than gamma
     */
    static Result run(SimilarityMatrix s, double link, int clusters, double gamma, long seed, Progress progress) {
        int n = s.rows();
        if (s.cols() != n) throw new IllegalArgumentException("a square matrix is needed");
        if (clusters > n) throw new IllegalArgumentException("more clusters (" + clusters + ") than items (" + n + ")");
        double level = Double.isNaN(link) ? backgroundLevel(s) : link;
        List<int[]> parts = components(s, level);
        int c = parts.size();
        if (clusters > 0 && clusters < c) {
            throw new Refusal(String.format(
                    "%,d clusters are fewer than the %,d groups the similarity graph falls into at the link level %.3f; "
                            + "ask for at least %,d clusters or lower the link level (--threshold)", clusters, c, level, c));
        }
        progress.phase("eigenvalues", n);
        List<Spectrum> spectra = new ArrayList<>(c);
        for (int[] part : parts) {
            spectra.add(Spectrum.of(s, part, level));
            progress.advance(part.length);
        }
        // every eigenvalue, tagged with its component, ascending; each component's first (0) comes first
        List<long[]> tags = new ArrayList<>(n);
        for (int p = 0; p < c; p++) for (int e = 1; e < spectra.get(p).values.length; e++) tags.add(new long[] {p, e});
        tags.sort(Comparator.comparingDouble(t -> spectra.get((int) t[0]).values[(int) t[1]]));
        double[] values = new double[n];
        for (int p = 0; p < c; p++) values[p] = spectra.get(p).values[0];
        Arrays.sort(values, 0, c);
        for (int t = 0; t < tags.size(); t++) values[c + t] = spectra.get((int) tags.get(t)[0]).values[(int) tags.get(t)[1]];

        Eigengap.Choice choice = clusters > 0 ? null : Eigengap.choose(values, gamma, c);
        int k = clusters > 0 ? clusters : choice.clusters();
        int[] share = new int[c];
        Arrays.fill(share, 1);
        for (int t = 0; t < k - c; t++) share[(int) tags.get(t)[0]]++;

        int[] assignment = new int[n];
        List<Integer> reps = new ArrayList<>();
        for (int p = 0; p < c; p++) {
            int[] part = parts.get(p);
            int[] local = spectra.get(p).cluster(share[p], seed);
            int base = reps.size(), used = 0;
            for (int v : local) used = Math.max(used, v + 1);
            for (int i = 0; i < part.length; i++) assignment[part[i]] = base + local[i];
            for (int q = 0; q < used; q++) reps.add(-1);
        }
        int[] representative = medoids(s, assignment, reps.size());
        return new Result(values, level, c, choice, reps.size(), assignment, representative);
    }

    /** Per cluster, the member whose similarities to the other members add up to the most. */
    static int[] medoids(SimilarityMatrix s, int[] assignment, int clusters) {
        List<List<Integer>> members = new ArrayList<>();
        for (int q = 0; q < clusters; q++) members.add(new ArrayList<>());
        for (int i = 0; i < assignment.length; i++) members.get(assignment[i]).add(i);
        int[] rep = new int[clusters];
        for (int q = 0; q < clusters; q++) {
            double best = Double.NEGATIVE_INFINITY;
            rep[q] = -1;
            for (int i : members.get(q)) {
                double sum = 0;
                for (int j : members.get(q)) sum += s.get(i, j);
                if (sum > best) {
                    best = sum;
                    rep[q] = i;
                }
            }
        }
        return rep;
    }

    /** Connected components of the pairs with similarity of at least {@code level}, each ascending, by first member. */
    static List<int[]> components(SimilarityMatrix s, double level) {
        int n = s.rows();
        UnionFind sets = new UnionFind(n);
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) if (s.get(i, j) >= level) sets.union(i, j);
        List<List<Integer>> byRoot = new ArrayList<>();
        int[] slot = new int[n];
        Arrays.fill(slot, -1);
        for (int i = 0; i < n; i++) {
            int r = sets.find(i);
            if (slot[r] < 0) {
                slot[r] = byRoot.size();
                byRoot.add(new ArrayList<>());
            }
            byRoot.get(slot[r]).add(i);
        }
        return byRoot.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
    }

    /** Eigenvalues (ascending) and eigenvectors (one array per eigenvalue) of one component's Laplacian. */
    private record Spectrum(double[] values, double[][] vectors) {
        static Spectrum of(SimilarityMatrix s, int[] part, double level) {
            int m = part.length;
            if (m == 1) return new Spectrum(new double[] {0}, new double[][] {{1}});
            double[] w = new double[m * m], scale = new double[m];
            for (int i = 0; i < m; i++) {
                double d = 0;
                for (int j = 0; j < m; j++) {
                    double v = i == j ? 1 : s.get(part[i], part[j]);
                    if (v < level) v = 0;
                    w[i * m + j] = v;
                    d += v;
                }
                scale[i] = 1 / Math.sqrt(d);
            }
            DMatrixRMaj l = new DMatrixRMaj(m, m);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) l.data[i * m + j] = (i == j ? 1 : 0) - w[i * m + j] * scale[i] * scale[j];
            }
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
            if (!eig.decompose(l)) throw new IllegalStateException("the eigendecomposition did not converge");
            Integer[] order = new Integer[m];
            for (int i = 0; i < m; i++) order[i] = i;
            Arrays.sort(order, Comparator.comparingDouble(i -> eig.getEigenvalue(i).real));
            double[] values = new double[m];
            double[][] vectors = new double[m][];
            for (int e = 0; e < m; e++) {
                values[e] = Math.max(0, eig.getEigenvalue(order[e]).real); // L is positive semi-definite; -1e-16 is rounding
                vectors[e] = eig.getEigenVector(order[e]).data.clone();
            }
            return new Spectrum(values, vectors);
        }

        /** k clusters of the component's items, numbered 0 to (at most) k - 1 without gaps. */
        int[] cluster(int k, long seed) {
            int m = vectors[0].length;
            if (k <= 1) return new int[m];
            float[][] rows = new float[m][k];
            for (int e = 0; e < k; e++) for (int i = 0; i < m; i++) rows[i][e] = (float) vectors[e][i];
            for (float[] r : rows) Vectors.normalise(r);
            int[] a = KMeans.cluster(rows, k, seed, WaveletClustering.MAX_ITERATIONS).assignment();
            int[] id = new int[k];
            Arrays.fill(id, -1);
            int next = 0;
            for (int i = 0; i < m; i++) {
                if (id[a[i]] < 0) id[a[i]] = next++;
                a[i] = id[a[i]];
            }
            return a;
        }
    }
}

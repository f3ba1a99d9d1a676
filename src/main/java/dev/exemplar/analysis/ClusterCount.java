package dev.exemplar.analysis;

/**
 * The number of clusters when none is given: the elbow of the k-means++ seeding potential.
 *
 * <p>phi_t, the sum of squared distances of the items to their nearest of the first t seeds, is
 * the k-means cost of t clusters before any Lloyd iteration, and it comes free with the seeding.
 * While some well-separated group holds no seed, D^2 sampling lands in such a group with
 * probability close to 1 (its items carry almost all of phi); the seed that covers the last group
 * removes the last between-group distances, so phi falls by about (separation / spread)^2 at the
 * true number of groups and by small factors before and after it. The rule takes the t in
 * [2, n / 2] with the largest fall phi_t-1 / phi_t (the smallest such t on ties; the first t with
 * phi_t = 0 when items repeat exactly). The cap n / 2 keeps out the last seeds, where phi falls by
 * large factors only because few items are left. Cost: one seeding of n / 2 seeds, with the
 * triangle-inequality pruning of {@link KMeans}.
 *
 * <p>It is an elbow rule: on data without well-separated groups it still answers, and the answer
 * is then only as meaningful as the elbow of that curve.
 */
final class ClusterCount {
    private ClusterCount() { }

    static int bySeedingPotential(float[][] x, long seed) {
        int n = x.length;
        if (n <= 2) return 1;
        int max = Math.max(2, n / 2);
        double[] phi = KMeans.seed(x, max, seed).potential();
        if (phi[0] == 0) return 1;                       // every item is the same
        int best = 1;
        double bestFall = 1;
        for (int t = 2; t <= max; t++) {                 // phi[t - 1] is the potential of t seeds
            if (phi[t - 1] == 0) return t;
            double fall = phi[t - 2] / phi[t - 1];
            if (fall > bestFall) {
                bestFall = fall;
                best = t;
            }
        }
        return best;
    }
}

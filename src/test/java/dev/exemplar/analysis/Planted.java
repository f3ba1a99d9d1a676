package dev.exemplar.analysis;

import java.util.Random;

/** Constructed data with known answers. */
final class Planted {
    private Planted() { }

    /**
     * groups x size items in dims dimensions: each group is a random centre (coordinates of about
     * +-separation) with Gaussian noise of the given spread around it, items of one group consecutive.
     */
    static float[][] clusters(int groups, int size, int dims, double separation, double spread, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[groups * size][dims];
        for (int g = 0; g < groups; g++) {
            double[] centre = new double[dims];
            for (int j = 0; j < dims; j++) centre[j] = separation * r.nextGaussian();
            for (int s = 0; s < size; s++) {
                for (int j = 0; j < dims; j++) x[g * size + s][j] = (float) (centre[j] + spread * r.nextGaussian());
            }
        }
        return x;
    }

    static int group(int item, int size) {
        return item / size;
    }
}

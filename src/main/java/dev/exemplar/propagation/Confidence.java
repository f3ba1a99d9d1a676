package dev.exemplar.propagation;

/**
 * How likely a propagated label is right, from what the vote saw: the winning share, the
 * similarity of the closest labelled source, how much of the constituent's representation is
 * labelled, whether its own links voted, and how many unlabelled delegates are nearer. A logistic
 * model ranks the labels; a step table fitted on the development sets (rooms, classes, digits;
 * 5, 10 and 20% labelled in queue order) turns its score into the confidence, taking the worst
 * of the sets at each step, so that among labels with confidence at least c a share of at least c
 * was right on every one of them.
 */
final class Confidence {
    static final int STEPS = CalibratedLogistic.STEPS;
    /** The model's inputs: intercept, share, similarity, link cover, linked, log(1 + nearer unlabelled). */
    static final int FEATURES = 6;

    /** The model and table the engine uses, fitted by PropagationStudy (test code, {@code fit-vote}). */
    static final Confidence FITTED = new Confidence(
        new double[] {-18.4346, 3.2633, 18.4544, 3.8057, -1.7853, 0.2438},
        new double[] {
            0.176, 0.220, 0.242, 0.268, 0.277, 0.305, 0.326, 0.344, 0.344, 0.367, 0.376, 0.390, 0.410, 0.432, 0.438, 0.455, 0.460,
            0.460, 0.460, 0.467, 0.483, 0.518, 0.518, 0.518, 0.528, 0.538, 0.549, 0.560, 0.565, 0.565, 0.590, 0.625, 0.625, 0.648,
            0.648, 0.705, 0.718, 0.718, 0.724, 0.724, 0.730, 0.730, 0.730, 0.782, 0.800, 0.800, 0.800, 0.857, 0.942, 0.956, 0.956});

    private final CalibratedLogistic model;

    /** A model and its step table (STEPS + 1 values), or a null table for the uncalibrated score; both are copied. */
    Confidence(double[] model, double[] calibration) {
        this.model = new CalibratedLogistic(FEATURES, model, calibration);
    }

    /** The engine's confidence in a propagated label. */
    static double of(boolean linked, double share, double similarity, double linkCover, int ahead) {
        return FITTED.confidence(linked, share, similarity, linkCover, ahead);
    }

    double confidence(boolean linked, double share, double similarity, double linkCover, int ahead) {
        return calibrated(score(linked, share, similarity, linkCover, ahead));
    }

    double score(boolean linked, double share, double similarity, double linkCover, int ahead) {
        return logistic(features(linked, share, similarity, linkCover, ahead));
    }

    double calibrated(double score) {
        return model.calibrated(score);
    }

    static double[] features(boolean linked, double share, double similarity, double linkCover, int ahead) {
        return new double[] {1, share, similarity, linked ? linkCover : 0, linked ? 1 : 0, Math.log1p(ahead)};
    }

    double logistic(double[] f) {
        return model.score(f);
    }
}

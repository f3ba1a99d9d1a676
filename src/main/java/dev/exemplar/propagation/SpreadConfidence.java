package dev.exemplar.propagation;

/**
 * How likely a spread label is right, from what reached the item: the winner's share and the
 * runner-up's, how much reached it at all, whether its labelled links voted the same way, and how
 * near its nearest neighbour with that label is (and how many unlabelled neighbours come first). A
 * logistic model ranks the labels; a step table fitted on the development sets (rooms, classes,
 * digits; 5, 10, 20 and 30% labelled in queue order) turns its score into the confidence, taking
 * the worst of the sets at each step, so that among labels with confidence at least c a share of
 * at least c was right on every one of them (counted as if one more had been wrong). Both are fitted by
 * PropagationStudy (test code, {@code fit}; {@code holdout} judges each set by a model fitted on the others).
 */
final class SpreadConfidence {
    static final int STEPS = CalibratedLogistic.STEPS;
    /**
     * The model's inputs: intercept, share, log(mass), links agree, links disagree, runner-up's share,
     * log(1 + unlabelled neighbours ahead), a neighbour has the label, its kernel weight.
     */
    static final int FEATURES = 9;

    static final SpreadConfidence FITTED = new SpreadConfidence(
            new double[] {-2.0601, 5.9892, 0.7134, 0.0796, -0.4730, -2.5956, 0.2144, -1.2605, 10.0020},
            new double[] {
                0.129, 0.129, 0.132, 0.134, 0.138, 0.145, 0.152, 0.165, 0.175, 0.190, 0.204, 0.214, 0.228, 0.245, 0.260, 0.271, 0.277,
                0.285, 0.301, 0.316, 0.333, 0.351, 0.370, 0.389, 0.400, 0.409, 0.428, 0.443, 0.472, 0.492, 0.507, 0.523, 0.548, 0.566,
                0.607, 0.647, 0.687, 0.687, 0.702, 0.711, 0.711, 0.711, 0.711, 0.720, 0.794, 0.794, 0.815, 0.878, 0.906, 0.950, 0.950});

    private final CalibratedLogistic model;

    /** A model and its step table (STEPS + 1 values), or a null table for the uncalibrated score; both are copied. */
    SpreadConfidence(double[] model, double[] calibration) {
        this.model = new CalibratedLogistic(FEATURES, model, calibration);
    }

    /** The confidence in item i's spread label, given the label its labelled links vote for (-1 for none). */
    double confidence(GraphSpreading.Evidence e, int i, int linkVote) {
        return calibrated(score(features(e, i, linkVote)));
    }

    static double[] features(GraphSpreading.Evidence e, int i, int linkVote) {
        boolean linked = linkVote >= 0, agree = linked && linkVote == e.label()[i];
        float nearest = e.nearest()[i];
        return new double[] {1, e.share()[i], Math.log(Math.max(e.mass()[i], 1e-12)), agree ? 1 : 0, linked && !agree ? 1 : 0,
                e.second()[i], Math.log1p(e.ahead()[i]), nearest > 0 ? 1 : 0, nearest};
    }

    double score(double[] f) {
        return model.score(f);
    }

    double calibrated(double score) {
        return model.calibrated(score);
    }
}

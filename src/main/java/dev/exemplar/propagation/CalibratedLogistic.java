package dev.exemplar.propagation;

/**
 * A logistic model that ranks propagated labels, and the step table that turns its score into a calibrated
 * confidence: the table's entry j holds for scores in [j, j + 1) / {@value #STEPS}. Both confidences of the engine
 * ({@link Confidence} for the link vote, {@link SpreadConfidence} for spread labels) are one of these over their
 * own inputs.
 */
final class CalibratedLogistic {
    static final int STEPS = 50;

    private final double[] model;
    /** Null for the raw score. */
    private final double[] calibration;

    /** A model of this many weights and its step table ({@value #STEPS} + 1 values), or a null table; both are copied. */
    CalibratedLogistic(int features, double[] model, double[] calibration) {
        if (model.length != features) throw new IllegalArgumentException("a model has " + features + " weights, not " + model.length);
        if (calibration != null && calibration.length != STEPS + 1) {
            throw new IllegalArgumentException("a calibration has " + (STEPS + 1) + " steps, not " + calibration.length);
        }
        this.model = model.clone();
        this.calibration = calibration == null ? null : calibration.clone();
    }

    /** The model's score of these inputs, in (0, 1). */
    double score(double[] f) {
        double z = 0;
        for (int i = 0; i < f.length; i++) z += model[i] * f[i];
        return 1 / (1 + Math.exp(-z));
    }

    /** The calibrated confidence of a score; the score itself without a table. */
    double calibrated(double score) {
        if (calibration == null) return score;
        return calibration[Math.min(STEPS, (int) Math.floor(score * STEPS))];
    }
}

package dev.exemplar.summary;

/** The vectors the neighbour graph, the order and the links compare items by. */
public enum FeatureMethod {
    /** The joined global descriptor: colour, colour layout, gradients and texture. */
    COMBINED,
    /** Wavelet coefficients of the thumbnail, the most linearly independent over the dataset. */
    WAVELET,
    /**
     * The learned features of a network trained on many classes of photographs ({@code features.learned}), joined
     * with the descriptor: for projects where the class of an image matters more than its exact scene.
     */
    LEARNED
}

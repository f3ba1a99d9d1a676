package dev.exemplar.summary;

/** The vectors the neighbour graph, the order and the links compare items by. */
public enum FeatureMethod {
    /** The joined global descriptor: colour, colour layout, gradients and texture. */
    COMBINED,
    /** Wavelet coefficients of the thumbnail, the most linearly independent over the dataset. */
    WAVELET
}

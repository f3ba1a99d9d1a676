package dev.exemplar.features;

/**
 * Where the entries of an upper-triangular matrix with n columns are when its rows are packed one
 * after the other, row i holding columns i..n-1: half the memory of the square array, and each
 * row, and the whole matrix, in increasing addresses. The Gram matrix, its Cholesky factor R and
 * R_11 of a selection are kept so.
 */
final class UpperPacked {
    private UpperPacked() { }

    /** Entry (i, j), j &gt;= i. */
    static int index(int i, int j, int n) {
        return i * n - i * (i + 1) / 2 + j;
    }

    /** The length of the first {@code rows} rows. */
    static int size(int rows, int n) {
        return index(rows, rows, n);
    }
}

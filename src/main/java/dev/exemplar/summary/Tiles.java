package dev.exemplar.summary;

import dev.exemplar.features.Embeddings;
import dev.exemplar.features.Kernels;

import java.util.Arrays;

/**
 * Similarities of a set of query rows with a set of candidate rows, computed a tile at a time:
 * the rows are copied once into contiguous blocks (the candidates transposed) that stay in the
 * caches while {@link Kernels#tile} runs over them. Reading a row from anywhere in a large matrix
 * costs about a microsecond on this machine, 40 times a dot product, so every search of the
 * engine compares rows in blocks like these rather than pair by pair.
 */
final class Tiles {
    /** Query rows per tile. */
    static final int ROWS = 64;
    /** The candidates' block is kept to at most 512 columns and about this many floats (2 MB), so it stays in the level-2 cache. */
    private static final int BLOCK_FLOATS = 1 << 19;

    /** Receives one query's similarities with a run of candidates: sims[from + t] is with candidates[c0 + t]. */
    interface Sink {
        void row(int query, int[] candidates, int c0, float[] sims, int from, int count);
    }

    private static final ThreadLocal<Tiles> SCRATCH = ThreadLocal.withInitial(Tiles::new);

    private float[] a = new float[0], bt = new float[0], out = new float[0];
    /** Which loaded queries and candidates are descriptor only (see {@link Rows#descriptorOnly}), when rows have embeddings. */
    private boolean[] queryOnly = new boolean[0], candidateOnly = new boolean[0];
    /** Where rows not held in arrays are read to, sixteen at a time. */
    private float[][] read = new float[16][0];

    static Tiles scratch() {
        return SCRATCH.get();
    }

    /** The widest candidate block for rows of d values. */
    static int columns(int d) {
        return Math.max(Kernels.PAD, Math.min(512, BLOCK_FLOATS / Math.max(1, d) / Kernels.PAD * Kernels.PAD));
    }

    /**
     * Hands the sink every query's similarities with every candidate: queries are
     * {@code q[q0..q1)} rows of xq, candidates {@code c[c0..c1)} rows of xc.
     */
    void compare(Rows xq, int[] q, int q0, int q1, Rows xc, int[] c, int c0, int c1, Sink sink) {
        if (q0 >= q1 || c0 >= c1) return;
        int d = xq.dim(), cols = columns(d);
        if (read[0].length != d) read = new float[16][d];
        // the mixed pairs of items with and without embeddings are corrected (partition centres have none to correct)
        boolean mixed = xq.embedded() > 0 && xc.embedded() == xq.embedded();
        // the queries are read from memory once, and stay for every block of candidates (up to 8 MB of them at a time)
        int span = Math.max(ROWS, (1 << 21) / Math.max(1, d) / ROWS * ROWS);
        for (int qa = q0; qa < q1; qa += span) {
            int qb = Math.min(q1, qa + span);
            loadRows(xq, q, qa, qb, Kernels.padRows(qb - qa), d);
            for (int cs = c0; cs < c1; cs += cols) {
                int ce = Math.min(c1, cs + cols), width = Kernels.padColumns(ce - cs);
                loadTransposed(xc, c, cs, ce, width, d);
                for (int qs = qa; qs < qb; qs += ROWS) {
                    int qe = Math.min(qb, qs + ROWS), rows = Kernels.padRows(qe - qs);
                    if (out.length < rows * width) out = new float[rows * width];
                    Kernels.tile(a, (qs - qa) * d, rows, d, bt, width, out);
                    for (int i = qs; i < qe; i++) {
                        if (mixed) correctMixed(queryOnly[i - qa], (i - qs) * width, ce - cs);
                        sink.row(q[i], c, cs, out, (i - qs) * width, ce - cs);
                    }
                }
            }
        }
    }

    /** A query's dot products with the candidates of the block made similarities: see {@link Embeddings#similarity}. */
    private void correctMixed(boolean query, int o, int count) {
        for (int j = 0; j < count; j++) {
            if (candidateOnly[j] != query) out[o + j] = (float) Embeddings.similarity(out[o + j], query, candidateOnly[j]);
        }
    }

    /** Sixteen rows at a time, so each stretch of bt written is a whole cache line rather than one float of 256 lines. */
    private void loadTransposed(Rows x, int[] ids, int from, int to, int width, int d) {
        if (bt.length < d * width) bt = new float[d * width];
        if (candidateOnly.length < width) candidateOnly = new boolean[width];
        int m = to - from;
        float[][] r = new float[16][];
        for (int j0 = 0; j0 < width; j0 += 16) {
            int count = Math.max(0, Math.min(16, m - j0));
            for (int jj = 0; jj < count; jj++) {
                r[jj] = x.row(ids[from + j0 + jj], read[jj]);
                candidateOnly[j0 + jj] = x.descriptorOnly(r[jj]);
            }
            for (int t = 0; t < d; t++) {
                int o = t * width + j0;
                for (int jj = 0; jj < count; jj++) bt[o + jj] = r[jj][t];
                for (int jj = count; jj < 16; jj++) bt[o + jj] = 0f;
            }
        }
    }

    private void loadRows(Rows x, int[] ids, int from, int to, int rows, int d) {
        if (a.length < rows * d) a = new float[rows * d];
        if (queryOnly.length < rows) queryOnly = new boolean[rows];
        int m = to - from;
        for (int i = 0; i < m; i++) {
            float[] row = x.row(ids[from + i], read[0]);
            System.arraycopy(row, 0, a, i * d, d);
            queryOnly[i] = x.descriptorOnly(row);
        }
        if (m < rows) Arrays.fill(a, m * d, rows * d, 0f);
    }
}

package dev.exemplar.summary;

import dev.exemplar.features.Embeddings;

/**
 * The feature rows the searches compare, one per item, all of one length: held in arrays, or in a {@link RowFile} and
 * read a row at a time. Every search copies the rows it compares into blocks of its own ({@link Tiles}), so where the
 * rows live costs a copy, and a run holds in its heap only what it compares at the moment.
 */
public abstract class Rows {
    /** Values at the end of each row that hold an item's embedding (0: none joined); see {@link Embeddings#join}. */
    private int embedded;

    Rows() { }

    /** These rows, each a descriptor joined with {@code length} values of an item's embedding or zeros for none. */
    final Rows embedded(int length) {
        embedded = length;
        return this;
    }

    /** Values at the end of each row that hold an item's embedding (0: none joined). */
    final int embedded() {
        return embedded;
    }

    /** Whether a row of these is of an item compared by its descriptor only, having no embedding where others have. */
    final boolean descriptorOnly(float[] row) {
        return embedded > 0 && Embeddings.descriptorOnly(row, embedded);
    }

    /** Rows held in these arrays (not copied: they must not change while searched). */
    public static Rows of(float[][] x) {
        return new Held(x);
    }

    public abstract int size();

    /** Values per row (0 when there are no rows). */
    public abstract int dim();

    /** Row i: the held array itself, never to be changed, or the row read into {@code buffer} (of {@link #dim} values). */
    abstract float[] row(int i, float[] buffer);

    /** A copy of row i. */
    final float[] copy(int i) {
        float[] buffer = new float[dim()];
        float[] r = row(i, buffer);
        return r == buffer ? r : r.clone();
    }

    /** These rows in the listed order: row p of the view is row {@code which[p]} of these. */
    final Rows select(int[] which) {
        return view(which).embedded(embedded);
    }

    abstract Rows view(int[] which);

    private static final class Held extends Rows {
        private final float[][] x;

        Held(float[][] x) {
            this.x = x;
        }

        @Override
        public int size() {
            return x.length;
        }

        @Override
        public int dim() {
            return x.length == 0 ? 0 : x[0].length;
        }

        @Override
        float[] row(int i, float[] buffer) {
            return x[i];
        }

        @Override
        Rows view(int[] which) {
            float[][] out = new float[which.length][];
            for (int p = 0; p < which.length; p++) out[p] = x[which[p]];
            return new Held(out);
        }
    }
}

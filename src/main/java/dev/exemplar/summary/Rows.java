package dev.exemplar.summary;

/**
 * The feature rows the searches compare, one per item, all of one length: held in arrays, or in a {@link RowFile} and
 * read a row at a time. Every search copies the rows it compares into blocks of its own ({@link Tiles}), so where the
 * rows live costs a copy, and a run holds in its heap only what it compares at the moment.
 */
public abstract class Rows {
    Rows() { }

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
    abstract Rows select(int[] which);

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
        Rows select(int[] which) {
            float[][] out = new float[which.length][];
            for (int p = 0; p < which.length; p++) out[p] = x[which[p]];
            return new Held(out);
        }
    }
}

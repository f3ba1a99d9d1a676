package dev.exemplar.summary;

import dev.exemplar.features.Embeddings;
import dev.exemplar.features.Kernels;
import dev.exemplar.features.Ssim;
import dev.exemplar.image.Thumbnail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Near-duplicate groups: candidate pairs from the neighbour graph, confirmed by structural
 * similarity of the lightness thumbnails under the best small shift (re-encoded, resized and
 * slightly cropped copies are off by a pixel or two) and by matching colour layout, then joined
 * into connected components.
 */
final class Duplicates {
    static final int CANDIDATES = 5;
    static final float MIN_COSINE = 0.80f;
    /**
     * Acceptance by kind of pair. A copy of a photograph keeps its colours exactly, so colour decides
     * there; drawings carry JPEG chroma noise on flat areas, so colour is looser; between two grey
     * images colour says nothing, so structure must be closer: among 4,000 handwritten digits, different digits
     * that look alike reach an SSIM of 0.955 often enough to chain groups together, their copies rarely fall below 0.965.
     */
    static final double PHOTO_SSIM = 0.90, PHOTO_COLOUR = 2.0, PHOTO_COLOUR_SHARE = 0.03;
    /** A copy of a photograph keeps its global statistics too; two smooth views of one scene may align but differ here. */
    static final double PHOTO_COSINE = 0.95;
    static final double DRAWING_SSIM = 0.92, DRAWING_COLOUR = 4.0, DRAWING_COLOUR_SHARE = 0.10;
    static final double GREY_SSIM = 0.965, GREY_CHROMA = 2.0;
    /** A copy keeps its shape: cropping a few percent or resizing changes the aspect ratio by less than this. */
    static final double MAX_ASPECT_CHANGE = 1.10;

    /** The side of the thumbnails compared: what a run needs to keep of each item's 64 px thumbnail. */
    static final int SIDE = 32;

    private Duplicates() { }

    /**
     * Lab values closer than this count as one when a thumbnail is stored as blocks: float rounding of the
     * averaging, far below what SSIM or the colour check can tell.
     */
    static final float SAME_VALUE = 1e-3f;

    /**
     * The thumbnail as the comparison reads it: averaged down to {@link #SIDE}, a quarter of the memory. A picture
     * smaller than that is made of equal blocks there (an 8 x 8 image of 4 x 4 blocks): it is kept at the side of
     * one value per block, 1/16 of the memory again, and {@link #resample} gives the blocks back.
     */
    static Thumbnail compared(Thumbnail t) {
        Thumbnail s = t.size() <= SIDE ? t
                : new Thumbnail(SIDE, shrink(t.l(), t.size(), SIDE), shrink(t.a(), t.size(), SIDE), shrink(t.b(), t.size(), SIDE));
        for (int side = 1; side < s.size(); side *= 2) {
            if (s.size() % side == 0 && blocks(s.l(), s.size(), side) && blocks(s.a(), s.size(), side) && blocks(s.b(), s.size(), side)) {
                return new Thumbnail(side, corners(s.l(), s.size(), side), corners(s.a(), s.size(), side), corners(s.b(), s.size(), side));
            }
        }
        return s;
    }

    /** Whether the plane of side s is side x side blocks of one value each. */
    private static boolean blocks(float[] p, int s, int side) {
        int f = s / side;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                if (Math.abs(p[y * s + x] - p[(y - y % f) * s + x - x % f]) > SAME_VALUE) return false;
            }
        }
        return true;
    }

    /** One value per block: its top left one. */
    private static float[] corners(float[] p, int s, int side) {
        int f = s / side;
        float[] out = new float[side * side];
        for (int y = 0; y < side; y++) for (int x = 0; x < side; x++) out[y * side + x] = p[y * f * s + x * f];
        return out;
    }

    static List<int[]> groups(NeighbourGraph g, Rows x, IntFunction<Thumbnail> thumbs, double[] aspect, boolean[] photographs,
                              Progress progress) {
        int n = g.size();
        double[] chroma = new double[n];
        // an item known only by a vector has no thumbnail: it is nobody's copy
        boolean[] pictured = new boolean[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            Thumbnail t = thumbs.apply(i);
            pictured[i] = t != null;
            if (t != null) chroma[i] = chroma(t);
        });
        UnionFind sets = new UnionFind(n);
        List<int[]> confirmed = Collections.synchronizedList(new ArrayList<>());
        progress.phase("duplicates", n);
        IntStream.range(0, n).parallel().forEach(i -> {
            float[] xi = null, xj = null;
            Thumbnail ti = null;
            int[] nb = g.neighbours(i);
            float[] s = g.similarities(i);
            for (int t = 0; pictured[i] && t < Math.min(CANDIDATES, nb.length); t++) {
                int j = nb[t];
                if (s[t] < MIN_COSINE) break;
                if (!pictured[j]) continue;
                if (j < i && contains(g.neighbours(j), i, CANDIDATES)) continue; // seen from j
                if (Math.max(aspect[i], aspect[j]) > MAX_ASPECT_CHANGE * Math.min(aspect[i], aspect[j])) continue;
                boolean photos = photographs[i] && photographs[j];
                if (xi == null) {
                    xi = x.row(i, new float[x.dim()]);
                    xj = new float[x.dim()];
                }
                float[] rj = x.row(j, xj);
                double cosine = Embeddings.similarity(Kernels.dotInDouble(xi, rj), x.descriptorOnly(xi), x.descriptorOnly(rj));
                if (photos && cosine < PHOTO_COSINE) continue; // refused whatever the thumbnails say: spare their alignment
                if (ti == null) ti = thumbs.apply(i);
                Match m = compare(ti, thumbs.apply(j), SIDE);
                if (accepted(m, chroma[i], chroma[j], photos, cosine)) {
                    confirmed.add(new int[] {i, j});
                }
            }
            progress.advance(1);
        });
        for (int[] p : confirmed) sets.union(p[0], p[1]);
        Map<Integer, List<Integer>> byRoot = new HashMap<>();
        for (int i = 0; i < n; i++) byRoot.computeIfAbsent(sets.find(i), k -> new ArrayList<>()).add(i);
        List<int[]> out = new ArrayList<>();
        for (List<Integer> members : byRoot.values()) {
            if (members.size() > 1) out.add(members.stream().mapToInt(Integer::intValue).sorted().toArray());
        }
        out.sort((a, b) -> Integer.compare(a[0], b[0]));
        return out;
    }

    /** The acceptance rule by kind of pair, given the aligned comparison and the descriptors' cosine. */
    static boolean accepted(Match m, double chromaA, double chromaB, boolean photographs, double cosine) {
        double ssim = m.ssim(), colour = m.colour();
        if (photographs) { // JPEG shifts saturated colours more: allow a share of the chroma
            return ssim >= PHOTO_SSIM && colour <= PHOTO_COLOUR + PHOTO_COLOUR_SHARE * (chromaA + chromaB) / 2 && cosine >= PHOTO_COSINE;
        }
        if (chromaA < GREY_CHROMA && chromaB < GREY_CHROMA) return ssim >= GREY_SSIM;
        // JPEG shifts saturated colours more on drawings too, at small sizes and low qualities more than on photographs
        return ssim >= DRAWING_SSIM && colour <= DRAWING_COLOUR + DRAWING_COLOUR_SHARE * (chromaA + chromaB) / 2;
    }

    private static boolean contains(int[] a, int v, int limit) {
        for (int t = 0; t < Math.min(limit, a.length); t++) if (a[t] == v) return true;
        return false;
    }

    /**
     * SSIM of the lightness planes once b is aligned to a: the scale (within 20%) and shift (within
     * 2 pixels of a 32-pixel thumbnail) that maximise normalised cross-correlation, searched coarse
     * to fine, compared over a's central window so that no border is invented.
     */
    record Match(double ssim, double colour) { }

    static Match compare(Thumbnail a, Thumbnail b, int size) {
        float[] pa = resample(a.l(), a.size(), size), pb = resample(b.l(), b.size(), size);
        int margin = size * 3 / 32, w = size - 2 * margin;
        double unit = size / 32.0;
        float[] x = warp(pa, size, margin, 1, 0, 0);
        double[] best = {-2, 1, 0, 0};
        for (double sc = 0.80; sc < 1.201; sc += 0.04)
            for (int dy = -2; dy <= 2; dy++)
                for (int dx = -2; dx <= 2; dx++) consider(x, pb, size, margin, sc, dx * unit, dy * unit, best);
        for (double step = 0.5; step >= 0.25; step /= 2) { // halve the search box twice around the best so far
            double s0 = best[1], x0 = best[2], y0 = best[3], ds = 0.04 * step;
            for (double sc = s0 - ds; sc < s0 + 1.01 * ds; sc += ds)
                for (double dy = y0 - step * unit; dy < y0 + 1.01 * step * unit; dy += step * unit)
                    for (double dx = x0 - step * unit; dx < x0 + 1.01 * step * unit; dx += step * unit) consider(x, pb, size, margin, sc, dx, dy, best);
        }
        double ssim = Ssim.ssim(x, warp(pb, size, margin, best[1], best[2], best[3]), w, w, 100);
        double colour = 0;
        for (int c = 0; c < 2; c++) { // a* then b*, compared under the same alignment
            float[] ca = warp(resample(c == 0 ? a.a() : a.b(), a.size(), size), size, margin, 1, 0, 0);
            float[] cb = warp(resample(c == 0 ? b.a() : b.b(), b.size(), size), size, margin, best[1], best[2], best[3]);
            for (int i = 0; i < ca.length; i++) colour += Math.abs(ca[i] - cb[i]);
        }
        return new Match(ssim, colour / (w * w));
    }

    private static void consider(float[] x, float[] pb, int size, int margin, double scale, double dx, double dy, double[] best) {
        double c = ncc(x, warp(pb, size, margin, scale, dx, dy));
        if (c > best[0]) {
            best[0] = c;
            best[1] = scale;
            best[2] = dx;
            best[3] = dy;
        }
    }

    /** The central window of p (inside the margin) after scaling about the centre and shifting, bilinear. */
    static float[] warp(float[] p, int s, int margin, double scale, double dx, double dy) {
        int w = s - 2 * margin;
        float[] out = new float[w * w];
        double c = (s - 1) / 2.0;
        for (int y = 0; y < w; y++) {
            double sy = Math.max(0, Math.min(s - 1.001, c + (y + margin - c) / scale + dy));
            int y0 = (int) sy;
            double fy = sy - y0;
            for (int x = 0; x < w; x++) {
                double sx = Math.max(0, Math.min(s - 1.001, c + (x + margin - c) / scale + dx));
                int x0 = (int) sx;
                double fx = sx - x0;
                out[y * w + x] = (float) ((1 - fy) * ((1 - fx) * p[y0 * s + x0] + fx * p[y0 * s + x0 + 1])
                        + fy * ((1 - fx) * p[(y0 + 1) * s + x0] + fx * p[(y0 + 1) * s + x0 + 1]));
            }
        }
        return out;
    }

    private static double ncc(float[] a, float[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.length;
        mb /= b.length;
        double sab = 0, saa = 1e-9, sbb = 1e-9;
        for (int i = 0; i < a.length; i++) {
            double u = a[i] - ma, v = b[i] - mb;
            sab += u * v;
            saa += u * u;
            sbb += v * v;
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** The plane of side s at side {@code to}: averaged down, or its pixels repeated up when s divides it. */
    static float[] resample(float[] p, int s, int to) {
        if (s >= to) return shrink(p, s, to);
        int f = to / s;
        float[] out = new float[to * to];
        for (int y = 0; y < to; y++) for (int x = 0; x < to; x++) out[y * to + x] = p[(y / f) * s + x / f];
        return out;
    }

    static float[] shrink(float[] p, int s, int to) {
        if (s == to) return p;
        int f = s / to;
        float[] out = new float[to * to];
        for (int y = 0; y < s; y++) for (int x = 0; x < s; x++) out[(y / f) * to + x / f] += p[y * s + x] / (f * f);
        return out;
    }

    /** Mean colourfulness: the distance of (a*, b*) from grey. */
    static double chroma(Thumbnail t) {
        double sum = 0;
        for (int i = 0; i < t.a().length; i++) sum += Math.hypot(t.a()[i], t.b()[i]);
        return sum / t.a().length;
    }
}

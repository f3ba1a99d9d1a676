package dev.exemplar.features;

import dev.exemplar.image.Thumbnail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Image features as bytes, so they can be kept by content hash and never computed twice.
 * {@link #FORMAT} changes whenever what {@link ImageFeatures} holds or how it is computed changes:
 * stored features of another format are computed again.
 */
public final class FeatureCodec {
    /**
     * 2: the global features come from a picture decoded at a reduced scale ({@link ImageFeatures#DECODED_SIDE});
     * 3: the mirror's keypoints are the image's, described again on the mirror; 4: keypoint descriptors are bytes;
     * 5: 150 keypoints at a long side of 192 px.
     */
    public static final int FORMAT = 5;

    private FeatureCodec() { }

    /** Thumbnail planes, texture and aspect ratio. */
    public static byte[] thumbnail(ImageFeatures f) {
        Thumbnail t = f.thumbnail();
        int n = t.size() * t.size();
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 8 + 3 * 4 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(t.size()).putDouble(f.texture()).putDouble(f.aspect());
        for (float[] plane : new float[][] {t.l(), t.a(), t.b()}) for (float v : plane) b.putFloat(v);
        return b.array();
    }

    /** Keypoints and mirrored keypoints; null for an image without keypoints. */
    public static byte[] keypoints(ImageFeatures f) {
        if (f.keypoints() == null) return null;
        LocalFeatures.Keypoints k = f.keypoints(), m = f.mirroredKeypoints();
        ByteBuffer b = ByteBuffer.allocate(size(k) + size(m)).order(ByteOrder.LITTLE_ENDIAN);
        put(b, k);
        put(b, m);
        return b.array();
    }

    public static ImageFeatures decode(float[] descriptor, byte[] thumbnail, byte[] keypoints) {
        ByteBuffer b = ByteBuffer.wrap(thumbnail).order(ByteOrder.LITTLE_ENDIAN);
        int s = b.getInt();
        double texture = b.getDouble(), aspect = b.getDouble();
        float[][] planes = new float[3][s * s];
        for (float[] p : planes) for (int i = 0; i < p.length; i++) p[i] = b.getFloat();
        LocalFeatures.Keypoints[] k = keypoints == null ? new LocalFeatures.Keypoints[2] : decodeKeypointPair(keypoints);
        return new ImageFeatures(descriptor, new Thumbnail(s, planes[0], planes[1], planes[2]), k[0], k[1], texture, aspect);
    }

    /** The keypoints and mirrored keypoints {@link #keypoints(ImageFeatures)} wrote. */
    public static LocalFeatures.Keypoints[] decodeKeypointPair(byte[] keypoints) {
        ByteBuffer kb = ByteBuffer.wrap(keypoints).order(ByteOrder.LITTLE_ENDIAN);
        return new LocalFeatures.Keypoints[] {get(kb), get(kb)};
    }

    /** One set of keypoints as bytes. */
    public static byte[] encode(LocalFeatures.Keypoints k) {
        ByteBuffer b = ByteBuffer.allocate(size(k)).order(ByteOrder.LITTLE_ENDIAN);
        put(b, k);
        return b.array();
    }

    /** The keypoints {@link #encode} wrote. */
    public static LocalFeatures.Keypoints decodeKeypoints(byte[] bytes) {
        return get(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
    }

    private static int size(LocalFeatures.Keypoints k) {
        return 8 + (k == null ? 0 : 4 * k.xy().length + k.descriptors().length);
    }

    private static void put(ByteBuffer b, LocalFeatures.Keypoints k) {
        b.putInt(k == null ? 0 : k.count()).putInt(k == null ? 0 : k.dimension());
        if (k == null) return;
        for (float v : k.xy()) b.putFloat(v);
        b.put(k.descriptors());
    }

    private static LocalFeatures.Keypoints get(ByteBuffer b) {
        int count = b.getInt(), dim = b.getInt();
        float[] xy = new float[2 * count];
        byte[] desc = new byte[count * dim];
        for (int i = 0; i < xy.length; i++) xy[i] = b.getFloat();
        b.get(desc);
        return new LocalFeatures.Keypoints(xy, desc, dim);
    }
}

package dev.exemplar.features;

import dev.exemplar.image.Thumbnail;
import dev.exemplar.image.Thumbnails;

import java.awt.image.BufferedImage;

/**
 * What the engine keeps of one image: its joined global descriptor, its lightness thumbnail
 * (for confirming near-duplicates by structural similarity) and, for photographs, keypoints.
 */
public record ImageFeatures(float[] descriptor, Thumbnail thumbnail, LocalFeatures.Keypoints keypoints,
                            LocalFeatures.Keypoints mirroredKeypoints, double texture, double aspect) {
    public static final int THUMBNAIL = 64;
    /** Below this short side an image has too little detail for keypoints to mean anything. */
    static final int KEYPOINT_MIN_SIDE = 160;

    public static ImageFeatures of(BufferedImage image) {
        Thumbnail t = Thumbnails.lab(image, THUMBNAIL);
        float[] d = Descriptor.of(t, Descriptor.Weights.DEFAULT);
        LocalFeatures.Keypoints k = null, mirrored = null;
        if (Math.min(image.getWidth(), image.getHeight()) >= KEYPOINT_MIN_SIDE) {
            BufferedImage small = Thumbnails.rgb(image, LocalFeatures.SIDE);
            int w = small.getWidth(), h = small.getHeight();
            int[] rgb = small.getRGB(0, 0, w, h, null, 0, w);
            float[] grey = new float[w * h];
            for (int i = 0; i < grey.length; i++) {
                int p = rgb[i];
                grey[i] = 0.299f * ((p >> 16) & 255) + 0.587f * ((p >> 8) & 255) + 0.114f * (p & 255);
            }
            k = LocalFeatures.detect(grey, w, h);
            float[] flipped = new float[grey.length]; // a mirrored view of a scene is still that scene
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) flipped[y * w + x] = grey[y * w + w - 1 - x];
            mirrored = LocalFeatures.detect(flipped, w, h);
        }
        return new ImageFeatures(d, t, k, mirrored, texture(t), (double) image.getWidth() / image.getHeight());
    }

    /** Mean lightness gradient per pixel of the thumbnail: near 0 for blurred, dark or flat images. */
    static double texture(Thumbnail t) {
        int s = t.size();
        float[] l = t.l();
        double sum = 0;
        for (int y = 0; y < s - 1; y++) {
            for (int x = 0; x < s - 1; x++) {
                sum += Math.abs(l[y * s + x + 1] - l[y * s + x]) + Math.abs(l[(y + 1) * s + x] - l[y * s + x]);
            }
        }
        return sum / ((s - 1) * (s - 1));
    }
}

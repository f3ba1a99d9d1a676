package dev.exemplar.features;

import dev.exemplar.image.ImageError;
import dev.exemplar.image.ImageLoader;
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
    /**
     * The short side a picture is decoded at for the global features: twice the thumbnail's, so each thumbnail
     * pixel averages two decoded ones or more across. A JPEG decoded by libjpeg-turbo at the DCT scale that keeps
     * it gives the descriptors of the whole picture to a cosine of 0.99 or more; at 64 the dev sets lost quality.
     */
    public static final int DECODED_SIDE = 128;
    /** Below this short side an image has too little detail for keypoints to mean anything. */
    static final int KEYPOINT_MIN_SIDE = 160;

    /** The global features and, for a photograph, keypoints of an image file. */
    public static ImageFeatures of(byte[] bytes, String name, ImageLoader loader) throws ImageError {
        try {
            return features(bytes, name, loader);
        } catch (OutOfMemoryError e) {
            // the decoding budget bounds pictures, not every copy made of them: this item fails, the run goes on
            throw new ImageError("not enough memory to compute the features of this image", e);
        }
    }

    private static ImageFeatures features(byte[] bytes, String name, ImageLoader loader) throws ImageError {
        return loader.lend(bytes, name, DECODED_SIDE, d -> {
            ImageFeatures global = global(Thumbnails.lab(d, THUMBNAIL), d.aspect());
            if (Math.min(d.width(), d.height()) < KEYPOINT_MIN_SIDE) return global;
            if (d.whole()) return global.withKeypoints(d.image());
            // keypoints need more detail: decoded again as small as keeps a long side of LocalFeatures.SIDE
            int side = (int) Math.ceil((double) LocalFeatures.SIDE * Math.min(d.width(), d.height()) / Math.max(d.width(), d.height()));
            return loader.lend(bytes, name, side, detailed -> global.withKeypoints(detailed.image()));
        });
    }

    /**
     * An item known only by a vector (a row of precomputed features): no thumbnail and no keypoints, so scene
     * verification and the copy check have nothing to compare it by, and it is ordered and linked by the vector alone.
     * The vector is used as it is: features are unit rows.
     */
    public static ImageFeatures ofVector(float[] vector) {
        return new ImageFeatures(vector, null, null, null, 0, 1);
    }

    /** The global features of a thumbnail of a picture of this aspect ratio: its descriptor and texture, no keypoints. */
    public static ImageFeatures global(Thumbnail t, double aspect) {
        return new ImageFeatures(Descriptor.of(t, Descriptor.Weights.DEFAULT), t, null, null, texture(t), aspect);
    }

    /** These features with the keypoints of the picture and of its mirror image, from a grey copy with a long side of {@link LocalFeatures#SIDE}. */
    ImageFeatures withKeypoints(BufferedImage picture) {
        BufferedImage small = Thumbnails.rgb(picture, LocalFeatures.SIDE);
        int w = small.getWidth(), h = small.getHeight();
        int[] rgb = (int[]) small.getRaster().getDataElements(0, 0, w, h, null); // TYPE_INT_RGB: 0xRRGGBB
        float[] grey = new float[w * h];
        for (int i = 0; i < grey.length; i++) {
            int p = rgb[i];
            grey[i] = 0.299f * ((p >> 16) & 255) + 0.587f * ((p >> 8) & 255) + 0.114f * (p & 255);
        }
        // a mirrored view of a scene is still that scene
        LocalFeatures.Keypoints[] k = LocalFeatures.detectWithMirror(grey, w, h);
        return new ImageFeatures(descriptor, thumbnail, k[0], k[1], texture, aspect);
    }

    /** These features with another thumbnail (a smaller one, say). */
    public ImageFeatures withThumbnail(Thumbnail t) {
        return new ImageFeatures(descriptor, t, keypoints, mirroredKeypoints, texture, aspect);
    }

    /** These features without their descriptor, which is kept elsewhere. */
    public ImageFeatures withoutDescriptor() {
        return new ImageFeatures(null, thumbnail, keypoints, mirroredKeypoints, texture, aspect);
    }

    /** These features without their keypoints, which are kept elsewhere. */
    public ImageFeatures withoutKeypoints() {
        return keypoints == null ? this : new ImageFeatures(descriptor, thumbnail, null, null, texture, aspect);
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

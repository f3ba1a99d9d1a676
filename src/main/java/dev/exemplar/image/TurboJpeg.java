package dev.exemplar.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * libjpeg-turbo's Java binding, bound at run time. It decodes JPEGs about twice as fast as ImageIO and, unlike
 * ImageIO, at a reduced scale (1/8 to 7/8) in the inverse DCT itself, so a thumbnail costs a fraction of a full
 * decode. It is not on Maven Central: Debian ships it (packages libturbojpeg-java and libturbojpeg0-dev), so the jar
 * is loaded from its path and called through method handles; where it is missing, {@link ImageLoader} decodes
 * with ImageIO.
 * <p>
 * The jar's path is {@code EXEMPLAR_TURBOJPEG_JAR} (system property {@code exemplar.turbojpeg.jar} first),
 * by default Debian's; {@code off} turns it off.
 */
final class TurboJpeg {
    static final String DEBIAN_JAR = "/usr/share/java/turbojpeg.jar";
    static final String PROPERTY = "exemplar.turbojpeg.jar";
    static final String ENVIRONMENT = "EXEMPLAR_TURBOJPEG_JAR";

    private static final int[] RGB_MASKS = {0xFF0000, 0xFF00, 0xFF};
    private static final DirectColorModel RGB = new DirectColorModel(24, RGB_MASKS[0], RGB_MASKS[1], RGB_MASKS[2], 0);

    /** The header of a JPEG as libjpeg-turbo reads it, before any pixel is decoded. */
    record Header(int width, int height, boolean ycc, boolean grey) { }

    /** One binding per jar: a native library can belong to one class loader only. */
    private static final Map<Path, Optional<TurboJpeg>> BOUND = new ConcurrentHashMap<>();

    private final MethodHandle open;
    private final MethodHandle width;
    private final MethodHandle height;
    private final MethodHandle colourspace;
    private final MethodHandle decompress;
    private final MethodHandle close;
    private final int pixelFormat;
    private final int ycc;
    private final int grey;
    /** The scales below 1 that libjpeg-turbo offers, smallest first. */
    private final List<Scale> scales;
    private final Path jar;

    private TurboJpeg(Path jar, ClassLoader loader) throws ReflectiveOperationException {
        this.jar = jar;
        Class<?> tj = Class.forName("org.libjpegturbo.turbojpeg.TJ", true, loader);
        Class<?> decompressor = Class.forName("org.libjpegturbo.turbojpeg.TJDecompressor", true, loader);
        Class<?> factor = Class.forName("org.libjpegturbo.turbojpeg.TJScalingFactor", true, loader);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodType ofInt = MethodType.methodType(int.class);
        open = lookup.findConstructor(decompressor, MethodType.methodType(void.class, byte[].class))
                .asType(MethodType.methodType(Object.class, byte[].class));
        width = generic(lookup.findVirtual(decompressor, "getWidth", ofInt));
        height = generic(lookup.findVirtual(decompressor, "getHeight", ofInt));
        colourspace = generic(lookup.findVirtual(decompressor, "getColorspace", ofInt));
        decompress = lookup.findVirtual(decompressor, "decompress", MethodType.methodType(void.class, int[].class,
                        int.class, int.class, int.class, int.class, int.class, int.class, int.class))
                .asType(MethodType.methodType(void.class, Object.class, int[].class,
                        int.class, int.class, int.class, int.class, int.class, int.class, int.class));
        close = lookup.findVirtual(decompressor, "close", MethodType.methodType(void.class))
                .asType(MethodType.methodType(void.class, Object.class));
        // 0x00RRGGBB ints, as TYPE_INT_RGB holds them, are B, G, R, X bytes in little-endian memory
        pixelFormat = tj.getField(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "PF_BGRX" : "PF_XRGB").getInt(null);
        ycc = tj.getField("CS_YCbCr").getInt(null);
        grey = tj.getField("CS_GRAY").getInt(null);
        Object factors = tj.getMethod("getScalingFactors").invoke(null); // loads the native library
        MethodHandle num = lookup.findVirtual(factor, "getNum", ofInt);
        MethodHandle denom = lookup.findVirtual(factor, "getDenom", ofInt);
        List<Scale> s = new ArrayList<>();
        try {
            for (int i = 0; i < Array.getLength(factors); i++) {
                Object f = Array.get(factors, i);
                Scale scale = new Scale((int) num.invoke(f), (int) denom.invoke(f));
                if (scale.below(Scale.WHOLE)) s.add(scale);
            }
        } catch (Throwable e) {
            throw new ReflectiveOperationException("cannot read TurboJPEG's scaling factors", e);
        }
        s.sort((x, y) -> x.below(y) ? -1 : y.below(x) ? 1 : 0);
        scales = List.copyOf(s);
    }

    private static MethodHandle generic(MethodHandle h) {
        return h.asType(MethodType.methodType(int.class, Object.class));
    }

    /** The binding the environment names, Debian's by default; empty when it is off, missing or unusable. */
    static Optional<TurboJpeg> installed() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) configured = System.getenv(ENVIRONMENT);
        if (configured == null || configured.isBlank()) configured = DEBIAN_JAR;
        if (configured.trim().equalsIgnoreCase("off")) return Optional.empty();
        return at(Path.of(configured.trim()));
    }

    /** The binding in this jar, with its native library; empty when either is missing or does not work. */
    static Optional<TurboJpeg> at(Path jar) {
        return BOUND.computeIfAbsent(jar.toAbsolutePath().normalize(), TurboJpeg::bind);
    }

    private static Optional<TurboJpeg> bind(Path jar) {
        if (!Files.isRegularFile(jar)) return Optional.empty();
        try {
            URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            return Optional.of(new TurboJpeg(jar, loader));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException | IOException e) {
            // a jar of another version or without its native library (UnsatisfiedLinkError): ImageIO decodes instead
            return Optional.empty();
        }
    }

    Path jar() {
        return jar;
    }

    /** A scale of the inverse DCT, numerator over denominator. */
    record Scale(int num, int denom) {
        static final Scale WHOLE = new Scale(1, 1);

        /** libjpeg's rounding of a scaled dimension: up. */
        int of(int dimension) {
            return (int) (((long) dimension * num + denom - 1) / denom);
        }

        boolean below(Scale other) {
            return (long) num * other.denom < (long) other.num * denom;
        }
    }

    /** Opens a JPEG and reads its header; nothing is decoded yet. */
    Jpeg open(byte[] jpeg) throws Exception {
        return new Jpeg(jpeg);
    }

    /** An open decoder of one JPEG whose header has been read. Not for use by more than one thread. */
    final class Jpeg implements AutoCloseable {
        private final Object handle;
        final Header header;

        private Jpeg(byte[] jpeg) throws Exception {
            try {
                handle = open.invokeExact(jpeg);
            } catch (Throwable e) {
                throw rethrown(e);
            }
            try {
                int cs = (int) colourspace.invokeExact(handle);
                header = new Header((int) width.invokeExact(handle), (int) height.invokeExact(handle), cs == ycc, cs == grey);
            } catch (Throwable e) {
                close();
                throw rethrown(e);
            }
        }

        /**
         * The scale for a picture whose short side is to stay at least {@code side}: the reduction ImageIO's
         * subsampling makes (by the whole factor that keeps the side), or the nearest larger scale libjpeg-turbo
         * offers; then smaller ones while the picture would have more than {@code maxPixels}.
         */
        Scale scale(int side, long maxPixels) {
            int w = header.width;
            int h = header.height;
            int factor = Math.max(1, Math.min(w, h) / side);
            Scale chosen = Scale.WHOLE;
            for (Scale s : scales) { // smallest first
                if ((long) s.num * factor >= s.denom) {
                    chosen = s;
                    break;
                }
            }
            for (int i = scales.size() - 1; i >= 0 && (long) chosen.of(w) * chosen.of(h) > maxPixels; i--) {
                if (scales.get(i).below(chosen)) chosen = scales.get(i);
            }
            return chosen;
        }

        /**
         * The picture at this scale, as TYPE_INT_RGB, its pixels at the start of {@code buffer} when that is large
         * enough (buffer may be null): a new array per picture was a tenth of the features' time.
         */
        BufferedImage decode(Scale scale, int[] buffer) throws Exception {
            int w = scale.of(header.width);
            int h = scale.of(header.height);
            BufferedImage image = buffer != null && buffer.length >= w * h
                    ? new BufferedImage(RGB, Raster.createPackedRaster(new DataBufferInt(buffer, w * h), w, h, w, RGB_MASKS, null), false, null)
                    : new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            try {
                // flags 0: the accurate inverse DCT and smooth chroma upsampling, as ImageIO's libjpeg decodes
                decompress.invokeExact(handle, rgb, 0, 0, w, w, h, pixelFormat, 0);
            } catch (Throwable e) {
                throw rethrown(e);
            }
            return image;
        }

        @Override
        public void close() {
            try {
                close.invokeExact(handle);
            } catch (Throwable e) {
                // the decoder's memory could not be freed: nothing more can be done with it
            }
        }
    }

    /** TurboJPEG's own exception is an IOException; errors and runtime exceptions pass as they are. */
    private static Exception rethrown(Throwable e) {
        if (e instanceof Error error) throw error;
        return e instanceof Exception exception ? exception : new IllegalStateException(e);
    }
}

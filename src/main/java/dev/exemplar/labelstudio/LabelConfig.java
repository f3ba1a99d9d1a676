package dev.exemplar.labelstudio;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Exemplar reads from a project's label config (XML): the image field, and a hash to notice changes. */
public final class LabelConfig {
    // <Image name="image" value="$image"/>: attributes in any order, single or double quotes
    private static final Pattern IMAGE_TAG = Pattern.compile("<Image\\b[^>]*?\\bvalue\\s*=\\s*[\"']\\$([A-Za-z0-9_.-]+)[\"']", Pattern.CASE_INSENSITIVE);

    private LabelConfig() { }

    /** The task data field that holds the image URL, from the first Image tag. */
    public static Optional<String> imageField(String config) {
        Matcher m = IMAGE_TAG.matcher(config == null ? "" : config);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    public static String hash(String config) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((config == null ? "" : config).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

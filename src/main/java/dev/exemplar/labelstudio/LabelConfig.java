package dev.exemplar.labelstudio;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Exemplar reads from a project's label config (XML): the image field, and a hash to notice changes. */
public final class LabelConfig {
    // <Image name="image" value="$image"/>: attributes in any order, single or double quotes
    private static final Pattern IMAGE_TAG = Pattern.compile("<Image\\b[^>]*?\\bvalue\\s*=\\s*[\"']\\$([A-Za-z0-9_.-]+)[\"']", Pattern.CASE_INSENSITIVE);

    // a control tag names what it labels with toName: <Choices name="label" toName="image" choice="multiple">
    private static final Pattern CONTROL_TAG = Pattern.compile("<([A-Za-z]+)\\b([^>]*?\\btoName\\s*=\\s*[\"'][^\"']*[\"'][^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("\\b([A-Za-z]+)\\s*=\\s*[\"']([^\"']*)[\"']");

    /** A control tag: {@code type} as Label Studio writes it in results (the tag name in lower case). */
    public record Control(String name, String type, String toName, boolean multiple) { }

    private LabelConfig() { }

    /** The control tags (those with a toName), in the order they appear. */
    public static List<Control> controls(String config) {
        List<Control> out = new ArrayList<>();
        Matcher m = CONTROL_TAG.matcher(config == null ? "" : config);
        while (m.find()) {
            Map<String, String> attrs = new HashMap<>();
            Matcher a = ATTRIBUTE.matcher(m.group(2));
            while (a.find()) attrs.put(a.group(1), a.group(2));
            if (!attrs.containsKey("name")) continue;
            out.add(new Control(attrs.get("name"), m.group(1).toLowerCase(Locale.ROOT), attrs.get("toName"),
                    "multiple".equals(attrs.get("choice")) || "taxonomy".equalsIgnoreCase(m.group(1))));
        }
        return out;
    }

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

package dev.exemplar.labelstudio;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What Exemplar reads from a project's label config (XML): the image field, the control tags, and a hash
 * to notice changes. The config comes from requests, so it is read by a streaming XML parser in linear
 * time, within bounds: at most {@link #MAX_CHARS} characters and {@link #MAX_DEPTH} levels, no DTD, no
 * entities beyond XML's own. A config past those bounds, or not well-formed XML, has no image field and no
 * controls (Label Studio itself accepts only well-formed configs).
 */
public final class LabelConfig {
    /** Label Studio's own configs are a few kilobytes; the largest templates stay well under this. */
    public static final int MAX_CHARS = 256 * 1024;
    public static final int MAX_DEPTH = 64;

    private static final Pattern FIELD = Pattern.compile("\\$([A-Za-z0-9_.-]+)");
    private static final Pattern LETTERS = Pattern.compile("[A-Za-z]+");
    private static final XMLInputFactory XML = factory();

    /** A control tag: {@code type} as Label Studio writes it in results (the tag name in lower case). */
    public record Control(String name, String type, String toName, boolean multiple) { }

    /** What one reading of a config finds. */
    private record Read(Optional<String> imageField, List<Control> controls) {
        static final Read NOTHING = new Read(Optional.empty(), List.of());
    }

    private LabelConfig() { }

    /** The control tags (those with a toName and a name), in the order they appear. */
    public static List<Control> controls(String config) {
        return read(config).controls();
    }

    /** The task data field that holds the image URL, from the first Image tag whose value is {@code $field}. */
    public static Optional<String> imageField(String config) {
        return read(config).imageField();
    }

    /** True when the config is within the bounds and well-formed XML. */
    public static boolean readable(String config) {
        return config != null && config.length() <= MAX_CHARS && parse(config) != null;
    }

    public static String hash(String config) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((config == null ? "" : config).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Read read(String config) {
        if (config == null || config.isEmpty() || config.length() > MAX_CHARS) return Read.NOTHING;
        Read r = parse(config);
        return r == null ? Read.NOTHING : r;
    }

    /** Null when the config is not well-formed or too deep. */
    private static Read parse(String config) {
        String field = null;
        List<Control> controls = new ArrayList<>();
        XMLStreamReader in = null;
        try {
            in = XML.createXMLStreamReader(new StringReader(config));
            int depth = 0;
            while (in.hasNext()) {
                int event = in.next();
                if (event == XMLStreamConstants.DTD) return null;
                if (event == XMLStreamConstants.END_ELEMENT) depth--;
                if (event != XMLStreamConstants.START_ELEMENT) continue;
                if (++depth > MAX_DEPTH) return null;
                String tag = in.getLocalName();
                String name = null, toName = null, choice = null, value = null, maxUsages = null;
                boolean hasToName = false;
                for (int i = 0; i < in.getAttributeCount(); i++) {
                    String attribute = in.getAttributeLocalName(i);
                    switch (attribute) {
                        case "name" -> name = in.getAttributeValue(i);
                        case "toName" -> { toName = in.getAttributeValue(i); hasToName = true; }
                        case "choice" -> choice = in.getAttributeValue(i);
                        case "maxUsages" -> maxUsages = in.getAttributeValue(i).trim();
                        default -> { }
                    }
                    if (attribute.equalsIgnoreCase("value") && value == null) value = in.getAttributeValue(i);
                }
                if (field == null && tag.equalsIgnoreCase("image") && value != null) {
                    var m = FIELD.matcher(value);
                    if (m.matches()) field = m.group(1);
                }
                if (hasToName && name != null && LETTERS.matcher(tag).matches()) {
                    controls.add(new Control(name, tag.toLowerCase(Locale.ROOT), toName,
                            // a taxonomy takes several selections unless maxUsages allows one
                            "multiple".equals(choice) || ("taxonomy".equalsIgnoreCase(tag) && !"1".equals(maxUsages))));
                }
            }
            return new Read(Optional.ofNullable(field), List.copyOf(controls));
        } catch (XMLStreamException | RuntimeException e) {
            return null;
        } finally {
            if (in != null) {
                try {
                    in.close();
                } catch (XMLStreamException ignored) {
                    // nothing held
                }
            }
        }
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        return f;
    }
}

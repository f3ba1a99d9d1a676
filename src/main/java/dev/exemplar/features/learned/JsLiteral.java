package dev.exemplar.features.learned;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the value of a minified JavaScript object literal, the form TF.js model files take when bundled as
 * scripts: keys quoted or not, numbers such as {@code -.02}, and {@code !0}/{@code !1} for true and false.
 * Objects become maps, arrays lists, numbers doubles; nothing else of JavaScript is accepted.
 */
final class JsLiteral {
    private final String s;
    private int at;

    private JsLiteral(String s, int at) {
        this.s = s;
        this.at = at;
    }

    /** The literal that starts at {@code from} in s. */
    static Object parse(String s, int from) {
        return new JsLiteral(s, from).value();
    }

    private Object value() {
        char c = s.charAt(at);
        if (c == '{') return object();
        if (c == '[') return array();
        if (c == '"' || c == '\'') return string();
        if (c == '!') {
            at += 2;
            return s.charAt(at - 1) == '0';
        }
        if (s.startsWith("true", at)) return word("true", true);
        if (s.startsWith("false", at)) return word("false", false);
        if (s.startsWith("null", at)) return word("null", null);
        return number();
    }

    private Object word(String w, Object v) {
        at += w.length();
        return v;
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        at++;
        while (s.charAt(at) != '}') {
            String key;
            if (s.charAt(at) == '"' || s.charAt(at) == '\'') key = string();
            else {
                int start = at;
                while (s.charAt(at) != ':') at++;
                key = s.substring(start, at);
            }
            expect(':');
            m.put(key, value());
            if (s.charAt(at) == ',') at++;
        }
        at++;
        return m;
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        at++;
        while (s.charAt(at) != ']') {
            l.add(value());
            if (s.charAt(at) == ',') at++;
        }
        at++;
        return l;
    }

    private String string() {
        char quote = s.charAt(at++);
        StringBuilder b = new StringBuilder();
        for (char c; (c = s.charAt(at++)) != quote; ) {
            if (c == '\\') c = s.charAt(at++);
            b.append(c);
        }
        return b.toString();
    }

    private double number() {
        int start = at;
        while (at < s.length() && "+-.0123456789eE".indexOf(s.charAt(at)) >= 0) at++;
        if (start == at) throw new IllegalArgumentException("unexpected '" + s.charAt(at) + "' at " + at);
        return Double.parseDouble(s.substring(start, at));
    }

    private void expect(char c) {
        if (s.charAt(at) != c) throw new IllegalArgumentException("expected '" + c + "' at " + at);
        at++;
    }
}

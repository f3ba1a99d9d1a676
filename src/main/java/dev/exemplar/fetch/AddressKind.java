package dev.exemplar.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * What an address a host name resolved to reaches, as far as fetching images goes: the internet, or something
 * behind the machine's own walls (itself, its link such as a cloud's metadata service at 169.254.169.254, a LAN).
 */
enum AddressKind {
    PUBLIC("a public address"),
    /** 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier-grade NAT), fc00::/7, fec0::/10. */
    PRIVATE("a private (LAN) address"),
    /** 127/8, ::1, and 0.0.0.0/8 and ::, which reach this machine too. */
    LOOPBACK("a loopback address"),
    /** 169.254/16 (cloud metadata services live there) and fe80::/10. */
    LINK_LOCAL("a link-local address"),
    /** Multicast, broadcast and 240/4: nothing an image is fetched from. */
    RESERVED("a reserved address");

    private final String words;

    AddressKind(String words) {
        this.words = words;
    }

    String words() {
        return words;
    }

    static AddressKind of(InetAddress a) {
        if (a instanceof Inet6Address v6) {
            InetAddress embedded = embeddedV4(v6.getAddress());
            if (embedded != null) return of(embedded);
        }
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) return LOOPBACK;
        if (a.isLinkLocalAddress()) return LINK_LOCAL;
        if (a.isMulticastAddress()) return RESERVED;
        if (a.isSiteLocalAddress()) return PRIVATE;
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xFF, second = b[1] & 0xFF;
            if (first == 0) return LOOPBACK; // "this network": Linux connects 0.0.0.0 to itself
            if (first == 100 && second >= 64 && second < 128) return PRIVATE;
            if (first >= 240) return RESERVED;
        } else if ((b[0] & 0xFE) == 0xFC) {
            return PRIVATE; // unique local
        }
        return PUBLIC;
    }

    /** The IPv4 address inside an IPv4-mapped or -compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static InetAddress embeddedV4(byte[] b) {
        try {
            boolean zeros80 = Arrays.equals(b, 0, 10, new byte[10], 0, 10);
            if (zeros80 && ((b[10] == (byte) 0xFF && b[11] == (byte) 0xFF) || (b[10] == 0 && b[11] == 0 && !isLoopbackOrAny(b)))) {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            }
            byte[] nat64 = {0, 0x64, (byte) 0xFF, (byte) 0x9B, 0, 0, 0, 0, 0, 0, 0, 0};
            if (Arrays.equals(b, 0, 12, nat64, 0, 12)) return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            if (b[0] == 0x20 && b[1] == 0x02) return InetAddress.getByAddress(Arrays.copyOfRange(b, 2, 6));
            return null;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** ::1 and ::, which are not IPv4-compatible addresses. */
    private static boolean isLoopbackOrAny(byte[] b) {
        return Arrays.equals(b, 0, 15, new byte[15], 0, 15) && (b[15] == 0 || b[15] == 1);
    }
}

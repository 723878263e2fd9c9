package io.jpod.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A container's network settings besides the networks themselves: a fixed address and MAC on its (single)
 * network, DNS aliases, name servers, search domains and resolver options for resolv.conf, extra /etc/hosts
 * lines, or no /etc/hosts of jpod's at all.
 */
public record NetworkOptions(String ip, String mac, List<String> aliases, List<String> dns, List<String> dnsSearch,
                             List<String> dnsOptions, List<String> addHosts, boolean noHosts) {
    public static final NetworkOptions NONE = new NetworkOptions("", "", List.of(), List.of(), List.of(), List.of(), List.of(), false);
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");

    public NetworkOptions {
        ip = ip == null ? "" : ip;
        mac = mac == null ? "" : mac.toLowerCase(java.util.Locale.ROOT);
        aliases = List.copyOf(aliases);
        dns = List.copyOf(dns);
        dnsSearch = List.copyOf(dnsSearch);
        dnsOptions = List.copyOf(dnsOptions);
        addHosts = List.copyOf(addHosts);
    }

    /** Checks what the user gave, in podman's words where podman has them. */
    public static NetworkOptions of(String ip, String mac, List<String> aliases, List<String> dns, List<String> dnsSearch,
                                    List<String> dnsOptions, List<String> addHosts, boolean noHosts) {
        if (ip != null && !ip.isEmpty() && ipv4(ip) < 0) throw JpodException.invalid(ip + " is not an IP address");
        if (mac != null && !mac.isEmpty() && !MAC.matcher(mac).matches()) {
            throw JpodException.invalid("invalid MAC address " + mac + ": use six hex pairs, like 92:d0:c6:0a:29:33");
        }
        for (String a : aliases) {
            if (!HOSTNAME.matcher(a).matches()) throw JpodException.invalid("invalid network alias \"" + a + "\": use letters, digits, '.', '_' and '-'");
        }
        for (String d : dns) {
            if (ipv4(d) < 0 && !d.contains(":")) throw JpodException.invalid(d + " is not an ip address");
        }
        for (String h : addHosts) {
            int c = h.indexOf(':');
            if (c <= 0 || c == h.length() - 1) throw JpodException.invalid("invalid add-host \"" + h + "\": use HOST:IP");
            String addr = h.substring(c + 1);
            if (ipv4(addr) < 0 && !addr.contains(":") && !addr.equals("host-gateway")) {
                throw JpodException.invalid("invalid IP address in add-host: \"" + addr + "\"");
            }
        }
        if (noHosts && !addHosts.isEmpty()) throw JpodException.invalid("--no-hosts and --add-host cannot be set together");
        return new NetworkOptions(ip, mac, aliases, dns, dnsSearch, dnsOptions, addHosts, noHosts);
    }

    /** The address as an unsigned 32-bit number, or -1 when it is not a dotted IPv4 address. */
    public static long ipv4(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 4) return -1;
        long v = 0;
        for (String x : p) {
            if (x.isEmpty() || x.length() > 3 || !x.chars().allMatch(Character::isDigit)) return -1;
            int n = Integer.parseInt(x);
            if (n > 255) return -1;
            v = (v << 8) | n;
        }
        return v;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!ip.isEmpty()) m.put("ip", ip);
        if (!mac.isEmpty()) m.put("mac", mac);
        if (!aliases.isEmpty()) m.put("aliases", aliases);
        if (!dns.isEmpty()) m.put("dns", dns);
        if (!dnsSearch.isEmpty()) m.put("dnsSearch", dnsSearch);
        if (!dnsOptions.isEmpty()) m.put("dnsOptions", dnsOptions);
        if (!addHosts.isEmpty()) m.put("addHosts", addHosts);
        if (noHosts) m.put("noHosts", true);
        return m;
    }

    static NetworkOptions fromJson(Map<String, Object> m) {
        if (m == null || m.isEmpty()) return NONE;
        return new NetworkOptions(J.str(m, "ip", ""), J.str(m, "mac", ""), J.strings(m, "aliases"), J.strings(m, "dns"),
                J.strings(m, "dnsSearch"), J.strings(m, "dnsOptions"), J.strings(m, "addHosts"), J.bool(m, "noHosts"));
    }
}

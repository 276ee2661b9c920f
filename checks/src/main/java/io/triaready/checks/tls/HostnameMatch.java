package io.triaready.checks.tls;

import java.net.IDN;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Does a certificate name this host? RFC 6125 as browsers apply it: DNS names from the subject
 * alternative names only (no common-name fallback), a wildcard only as the whole left-most label
 * ({@code *.example.com} covers {@code a.example.com}, not {@code example.com} or {@code a.b.example.com});
 * IP addresses against IP-address entries.
 */
final class HostnameMatch {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatch() {}

    static boolean matches(String host, X509Certificate cert) {
        String h = normalize(host);
        boolean ip = isIpAddress(h);
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) return false;
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                if (ip && type == SAN_IP && sameIp(h, value)) return true;
                if (!ip && type == SAN_DNS && dnsMatch(h, normalize(value))) return true;
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        return false;
    }

    /** The DNS names and IP addresses the certificate is for. */
    static List<String> names(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == SAN_DNS || type == SAN_IP) out.add(String.valueOf(san.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            // no usable names
        }
        return out;
    }

    private static boolean dnsMatch(String host, String pattern) {
        if (!pattern.startsWith("*.")) return host.equals(pattern);
        String suffix = pattern.substring(1); // ".example.com"
        if (!host.endsWith(suffix)) return false;
        String label = host.substring(0, host.length() - suffix.length());
        return !label.isEmpty() && !label.contains(".") && suffix.indexOf('.', 1) > 0; // no "*.com"
    }

    private static String normalize(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) n = n.substring(0, n.length() - 1);
        if (n.startsWith("[") && n.endsWith("]")) n = n.substring(1, n.length() - 1);
        try {
            return isIpAddress(n) || n.startsWith("*.") ? n : IDN.toASCII(n);
        } catch (IllegalArgumentException e) {
            return n;
        }
    }

    static boolean isIpAddress(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (s.contains(":") && s.matches("[0-9a-fA-F:.]+"));
    }

    private static boolean sameIp(String a, String b) {
        try {
            return java.net.InetAddress.getByName(a).equals(java.net.InetAddress.getByName(b)); // literals only: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}

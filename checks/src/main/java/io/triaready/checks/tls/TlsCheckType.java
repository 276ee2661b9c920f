package io.triaready.checks.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

import io.triaready.base.net.PortNumber;
import io.triaready.base.net.TrustAll;
import io.triaready.base.os.UserHome;
import io.triaready.base.yaml.Durations;
import io.triaready.base.yaml.Fields;
import io.triaready.base.yaml.ParseContext;
import io.triaready.base.yaml.YNode;
import io.triaready.checks.support.DeclaredCheckType;
import io.triaready.checks.support.TargetProbe;
import io.triaready.spi.FactSchema;
import io.triaready.spi.Facts;
import io.triaready.spi.Probe;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;

/**
 * {@code tls: "tria.example.com:443"} or {@code tls: {host: ..., port: 443, servername: ..., ca_file: ...}}:
 * the certificate a TLS server presents. The handshake accepts any certificate, so an untrusted, expired
 * or misnamed one is observed (a FAIL), not an ERROR; the chain is then validated on its own (PKIX,
 * against the JVM's trust store or {@code ca_file}). Facts: days_left (primary), expires, hostname_match,
 * trusted, protocol, cipher, subject, issuer, self_signed, names. Without {@code expect}:
 * trusted, hostname_match and more than 14 days left.
 */
public final class TlsCheckType extends DeclaredCheckType {
    static final FactSchema FACTS = FactSchema.of("days_left", "days_left", "expires", "hostname_match", "trusted", "protocol", "cipher",
            "subject", "issuer", "self_signed", "names").withDefault("{trusted: true, hostname_match: true, days_left: {gt: 14}}");
    static final int DEFAULT_PORT = 443;

    public TlsCheckType() { super("tls", FACTS); }

    @Override
    public Probe parse(YNode spec, ParseContext ctx) {
        String host;
        int port = DEFAULT_PORT;
        String servername = null;
        String caFile = null;
        String tunnel = null;
        if (spec.isScalar()) {
            String text = scalar(spec, ctx);
            if (text == null) return null;
            try {
                HostPort hp = HostPort.parse(text.strip());
                host = hp.host();
                port = hp.port();
            } catch (IllegalArgumentException e) {
                ctx.problem(spec, "'tls': " + e.getMessage());
                return null;
            }
        } else {
            Fields f = fields(spec, ctx);
            if (!f.isValid()) return null;
            host = f.requiredString("host");
            long p = f.integer("port", DEFAULT_PORT);
            if (p < 1 || p > 65535) ctx.problem(f.node("port"), "'port' must be between 1 and 65535");
            else port = (int) p;
            servername = f.string("servername").orElse(null);
            caFile = f.string("ca_file").orElse(null);
            tunnel = f.string("tunnel").orElse(null);
            f.finish();
            if (host != null && host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        }
        if (host == null) return null;
        if (host.isBlank()) {
            needs(spec, ctx, "a host, e.g. tls: \"tria.example.com:443\"");
            return null;
        }
        return new TlsProbe(host, port, servername, caFile, tunnel);
    }

    record HostPort(String host, int port) {
        static HostPort parse(String text) {
            String host = text;
            int port = DEFAULT_PORT;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0) throw new IllegalArgumentException("unclosed '[' in '" + text + "'");
                host = text.substring(1, close);
                if (text.length() > close + 1) {
                    if (text.charAt(close + 1) != ':') throw new IllegalArgumentException("expected host:port, got '" + text + "'");
                    port = port(text.substring(close + 2));
                }
            } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
                host = text.substring(0, text.indexOf(':'));
                port = port(text.substring(text.indexOf(':') + 1));
            }
            if (host.isBlank() || host.contains("/")) throw new IllegalArgumentException("expected host or host:port, got '" + text + "'");
            return new HostPort(host, port);
        }

        private static int port(String s) { return PortNumber.parse(s); }
    }

    public record TlsProbe(String host, int port, String servername, String caFile, String tunnel) implements TargetProbe {
        @Override
        public String describe() {
            return "tls " + display() + (servername != null ? " (server name " + servername + ")" : "");
        }

        private String display() { return (host.contains(":") ? "[" + host + "]" : host) + ":" + port; }

        @Override
        public Facts observe(ProbeContext ctx) throws Exception {
            Set<TrustAnchor> anchors = anchors(); // a bad ca_file is an error before any connection
            String name = servername != null ? servername : host;
            InetSocketAddress reach = ctx.reach(host, port, tunnel);
            InetSocketAddress address = reach.isUnresolved() ? new InetSocketAddress(reach.getHostString(), reach.getPort()) : reach;
            if (address.isUnresolved()) throw new ProbeException("unknown host " + host);
            Duration left = ctx.deadline().remaining();
            int timeout = (int) Math.max(1, Math.min(Integer.MAX_VALUE, left.toMillis()));
            long start = System.nanoTime();
            X509Certificate[] chain;
            String protocol;
            String cipher;
            try (Socket raw = new Socket()) {
                try {
                    raw.connect(address, timeout);
                } catch (SocketTimeoutException e) {
                    throw new ProbeException("cannot connect to " + display() + ": no answer within " + Durations.format(left));
                } catch (ConnectException e) {
                    throw new ProbeException("cannot connect to " + display() + ": " + (e.getMessage() == null ? "connection refused" : e.getMessage()));
                }
                raw.setSoTimeout(timeout);
                try (SSLSocket tls = (SSLSocket) trustAll().getSocketFactory().createSocket(raw, name, port, true)) {
                    SSLParameters params = tls.getSSLParameters();
                    if (!HostnameMatch.isIpAddress(name)) params.setServerNames(List.of(new SNIHostName(name)));
                    tls.setSSLParameters(params);
                    tls.startHandshake();
                    SSLSession session = tls.getSession();
                    Certificate[] peer = session.getPeerCertificates();
                    chain = new X509Certificate[peer.length];
                    for (int i = 0; i < peer.length; i++) chain[i] = (X509Certificate) peer[i];
                    protocol = session.getProtocol();
                    cipher = session.getCipherSuite();
                } catch (SocketTimeoutException e) {
                    throw new ProbeException("TLS handshake with " + display() + ": no answer within " + Durations.format(left));
                } catch (SSLException e) {
                    throw new ProbeException("TLS handshake with " + display() + " failed: " + e.getMessage() + " (is it a TLS port?)");
                }
            } catch (IOException e) {
                throw new ProbeException("cannot connect to " + display() + ": " + e.getMessage());
            }
            X509Certificate leaf = chain[0];
            Instant notAfter = leaf.getNotAfter().toInstant();
            long daysLeft = Math.floorDiv(Duration.between(Instant.now(), notAfter).toSeconds(), 86_400L);
            String untrusted = validate(chain, anchors);
            boolean hostnameMatch = HostnameMatch.matches(name, leaf);
            Facts.Builder b = Facts.builder()
                    .put("days_left", daysLeft)
                    .put("expires", notAfter.toString())
                    .put("hostname_match", hostnameMatch)
                    .put("trusted", untrusted == null)
                    .put("protocol", protocol)
                    .put("cipher", cipher)
                    .put("subject", leaf.getSubjectX500Principal().getName(X500Principal.RFC2253))
                    .put("issuer", leaf.getIssuerX500Principal().getName(X500Principal.RFC2253))
                    .put("self_signed", selfSigned(leaf))
                    .put("names", HostnameMatch.names(leaf));
            b.note(display() + ": " + protocol + ", certificate for " + String.join(", ", HostnameMatch.names(leaf)) + " expires " + notAfter
                    + " (" + daysLeft + " days), handshake in " + Durations.format(Duration.ofNanos(System.nanoTime() - start)));
            if (untrusted != null) b.note("not trusted: " + untrusted);
            if (!hostnameMatch) b.note("the certificate does not name " + name);
            return b.build();
        }

        /** Why the chain is not trusted, or null when it validates (PKIX, no revocation checks: an audit must not hang on OCSP). */
        private static String validate(X509Certificate[] chain, Set<TrustAnchor> anchors) {
            List<X509Certificate> path = new ArrayList<>(List.of(chain));
            // a server may send its root too; the path given to the validator ends below the anchor
            while (!path.isEmpty() && isAnchor(path.get(path.size() - 1), anchors) && path.size() > 1) path.remove(path.size() - 1);
            try {
                if (path.size() == 1 && isAnchor(path.get(0), anchors)) {
                    path.get(0).checkValidity();
                    return null;
                }
                PKIXParameters params = new PKIXParameters(anchors);
                params.setRevocationEnabled(false);
                CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
                return null;
            } catch (java.security.cert.CertificateExpiredException e) {
                return "the certificate has expired";
            } catch (java.security.cert.CertificateNotYetValidException e) {
                return "the certificate is not valid yet";
            } catch (CertPathValidatorException e) {
                if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) return "a certificate in the chain has expired";
                if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) return "a certificate in the chain is not valid yet";
                if (selfSigned(chain[0]) && chain.length == 1) return "self-signed certificate";
                return "no chain to a trusted CA (" + e.getMessage() + ")";
            } catch (GeneralSecurityException e) {
                return e.getMessage();
            }
        }

        private static boolean isAnchor(X509Certificate c, Set<TrustAnchor> anchors) {
            for (TrustAnchor a : anchors) if (c.equals(a.getTrustedCert())) return true;
            return false;
        }

        static boolean selfSigned(X509Certificate c) {
            if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) return false;
            try {
                c.verify(c.getPublicKey());
                return true;
            } catch (GeneralSecurityException e) {
                return false;
            }
        }

        private Set<TrustAnchor> anchors() throws ProbeException {
            Set<TrustAnchor> out = new HashSet<>();
            if (caFile != null) {
                Path p = UserHome.path(caFile);
                try (InputStream in = Files.newInputStream(p)) {
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        out.add(new TrustAnchor((X509Certificate) c, null));
                    }
                } catch (IOException e) {
                    throw new ProbeException("cannot read ca_file " + caFile + ": " + e.getMessage());
                } catch (GeneralSecurityException e) {
                    throw new ProbeException("ca_file " + caFile + " is not a PEM certificate bundle: " + e.getMessage());
                }
                if (out.isEmpty()) throw new ProbeException("ca_file " + caFile + " holds no certificate");
                return out;
            }
            try {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init((KeyStore) null);
                for (TrustManager tm : tmf.getTrustManagers()) {
                    if (tm instanceof X509TrustManager x) for (X509Certificate c : x.getAcceptedIssuers()) out.add(new TrustAnchor(c, null));
                }
            } catch (GeneralSecurityException e) {
                throw new ProbeException("cannot load the JVM trust store: " + e.getMessage());
            }
            if (out.isEmpty()) throw new ProbeException("the JVM trust store is empty: give ca_file");
            return out;
        }

        /** Accepts whatever the server presents: the chain is judged afterwards, so a bad certificate is a finding, not an error. */
        private static SSLContext trustAll() throws ProbeException {
            try {
                return TrustAll.context();
            } catch (GeneralSecurityException e) {
                throw new ProbeException("TLS is not available: " + e.getMessage());
            }
        }
    }
}

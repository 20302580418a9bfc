package io.gomq.launcher.tls;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Which part of a verified client certificate becomes the MQTT user name
 * (tls-identity-as-user), like Mosquitto's use_identity_as_username: the subject's CN, or the
 * first subject alternative name of one type.
 */
public enum CertificateIdentity {
    OFF(-1),
    CN(-1),
    SAN_EMAIL(1),
    SAN_DNS(2),
    SAN_URI(6);

    /** The GeneralName tag in {@link X509Certificate#getSubjectAlternativeNames()}. */
    private final int sanType;

    CertificateIdentity(int sanType) {
        this.sanType = sanType;
    }

    /** @throws IllegalArgumentException for anything but off, cn, san-email, san-dns or san-uri */
    public static CertificateIdentity parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (CertificateIdentity i : values()) {
            if (i.toString().equals(t)) {
                return i;
            }
        }
        if (t.equals("false") || t.equals("none")) {
            return OFF;
        }
        throw new IllegalArgumentException("expected off, cn, san-email, san-dns or san-uri");
    }

    /** The user name this certificate stands for, or null when it has no such field (or OFF). */
    public String userOf(X509Certificate cert) {
        if (this == OFF || cert == null) {
            return null;
        }
        return this == CN ? commonName(cert) : firstSan(cert);
    }

    private static String commonName(X509Certificate cert) {
        try {
            List<Rdn> rdns = new LdapName(cert.getSubjectX500Principal().getName()).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) { // the most specific CN is the last in RFC 2253 order read backwards
                if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
                    String cn = String.valueOf(rdns.get(i).getValue());
                    return cn.isEmpty() ? null : cn;
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    private String firstSan(X509Certificate cert) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) {
                return null;
            }
            for (List<?> san : sans) {
                if (san.size() >= 2 && san.get(0) instanceof Integer type && type == sanType && san.get(1) instanceof String v
                        && !v.isEmpty()) {
                    return v;
                }
            }
        } catch (CertificateParsingException e) {
            return null;
        }
        return null;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

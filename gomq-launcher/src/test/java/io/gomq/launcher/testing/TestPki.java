package io.gomq.launcher.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificate authorities for mutual TLS tests (BouncyCastle, EC P-256): a CA, server
 * certificates for 127.0.0.1/localhost and client certificates it signs, written as the PEM
 * files the broker reads; plus SSL contexts and key/trust manager factories for real clients.
 *
 * <pre>{@code
 * TestPki.Ca ca = TestPki.ca(dir, "devices");
 * TestPki.Issued server = ca.server("server");
 * TestPki.Issued alice = ca.client("alice", "CN=alice,O=GoMQ");
 * }</pre>
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestPki() {
    }

    /** A new self-signed CA; its certificate is written to {@code dir/<name>-ca.crt}. */
    public static Ca ca(Path dir, String name) throws Exception {
        KeyPair kp = keyPair();
        X500Name subject = new X500Name("CN=" + name + " test CA");
        X509v3CertificateBuilder b = builder(subject, subject, kp, Duration.ofDays(2));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate cert = sign(b, kp.getPrivate());
        Path file = Files.writeString(dir.resolve(name + "-ca.crt"), pem("CERTIFICATE", cert.getEncoded()));
        return new Ca(dir, name, kp, cert, file);
    }

    public static final class Ca {
        private final Path dir;
        private final String name;
        private final KeyPair keys;
        private final X509Certificate cert;
        private final Path certFile;

        private Ca(Path dir, String name, KeyPair keys, X509Certificate cert, Path certFile) {
            this.dir = dir;
            this.name = name;
            this.keys = keys;
            this.cert = cert;
            this.certFile = certFile;
        }

        /** The CA certificate (PEM): what tls-ca or cluster-tls-ca names. */
        public Path certFile() {
            return certFile;
        }

        public X509Certificate certificate() {
            return cert;
        }

        /** A server (and client: cluster members are both) certificate for 127.0.0.1 and localhost. */
        public Issued server(String file) throws Exception {
            return issue(file, "CN=localhost", Duration.ofDays(1), List.of(
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")));
        }

        /** A client certificate with {@code subject} (e.g. "CN=alice") and the given subject alternative names. */
        public Issued client(String file, String subject, GeneralName... sans) throws Exception {
            return issue(file, subject, Duration.ofDays(1), List.of(sans));
        }

        /** A client certificate that expired an hour ago. */
        public Issued expiredClient(String file, String subject) throws Exception {
            return issue(file, subject, Duration.ofHours(-1), List.of());
        }

        private Issued issue(String file, String subject, Duration validity, List<GeneralName> sans) throws Exception {
            KeyPair kp = keyPair();
            X509v3CertificateBuilder b = builder(new X500Name(cert.getSubjectX500Principal().getName()),
                    new X500Name(subject), kp, validity);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(cert));
            if (!sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
            }
            X509Certificate issued = sign(b, keys.getPrivate());
            Path certFile = Files.writeString(dir.resolve(file + ".crt"), pem("CERTIFICATE", issued.getEncoded()));
            Path keyFile = Files.writeString(dir.resolve(file + ".key"), pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
            return new Issued(certFile, keyFile, issued, kp.getPrivate(), this);
        }

        @Override
        public String toString() {
            return name + " CA";
        }
    }

    /** A certificate and its key, as files and as objects. */
    public record Issued(Path certFile, Path keyFile, X509Certificate certificate, PrivateKey key, Ca issuer) {
        /** Presents this certificate. */
        public KeyManagerFactory keyManagers() throws Exception {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", key, new char[0], new X509Certificate[] {certificate, issuer.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            return kmf;
        }

        /**
         * Presents this certificate whatever CAs the server names (as mosquitto_pub --cert does; the
         * JDK's own key manager would send none of a CA the server did not list) and trusts only
         * {@code serverCa}.
         */
        public SSLContext sslContext(Ca serverCa) throws Exception {
            SSLContext ctx = SSLContext.getInstance("TLS");
            X509Certificate[] chain = {certificate, issuer.certificate()};
            ctx.init(new KeyManager[] {new X509ExtendedKeyManager() {
                @Override
                public String[] getClientAliases(String keyType, Principal[] issuers) {
                    return new String[] {"key"};
                }

                @Override
                public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                    return "key";
                }

                @Override
                public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                    return "key";
                }

                @Override
                public String[] getServerAliases(String keyType, Principal[] issuers) {
                    return null;
                }

                @Override
                public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                    return null;
                }

                @Override
                public X509Certificate[] getCertificateChain(String alias) {
                    return chain;
                }

                @Override
                public PrivateKey getPrivateKey(String alias) {
                    return key;
                }
            }}, trust(serverCa).getTrustManagers(), null);
            return ctx;
        }
    }

    /** Trusts only {@code ca}. */
    public static TrustManagerFactory trust(Ca ca) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        return tmf;
    }

    /** Presents no certificate and trusts only {@code serverCa}. */
    public static SSLContext anonymousContext(Ca serverCa) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, trust(serverCa).getTrustManagers(), null);
        return ctx;
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair kp, Duration validity) {
        Instant now = Instant.now();
        Instant from = validity.isNegative() ? now.minus(Duration.ofDays(2)) : now.minus(Duration.ofMinutes(5));
        Instant to = now.plus(validity);
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from),
                Date.from(to), subject, kp.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Subject alternative names for {@link Ca#client}. */
    public static GeneralName email(String address) {
        return new GeneralName(GeneralName.rfc822Name, address);
    }

    public static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

}

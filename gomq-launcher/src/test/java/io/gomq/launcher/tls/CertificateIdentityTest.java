package io.gomq.launcher.tls;

import io.gomq.launcher.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.X509Certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CertificateIdentityTest {
    @TempDir
    Path dir;

    @Test
    void userIsTheLeafCnOrTheFirstSanOfTheChosenType() throws Exception {
        TestPki.Ca ca = TestPki.ca(dir, "ids");
        X509Certificate c = ca.client("alice", "CN=alice,OU=CN=not-this,O=GoMQ",
                TestPki.dns("alice.devices.example"), TestPki.email("alice@example.com"), TestPki.email("second@example.com"))
                .certificate();
        assertEquals("alice", CertificateIdentity.CN.userOf(c));
        assertEquals("alice@example.com", CertificateIdentity.SAN_EMAIL.userOf(c));
        assertEquals("alice.devices.example", CertificateIdentity.SAN_DNS.userOf(c));
        assertNull(CertificateIdentity.SAN_URI.userOf(c), "no such SAN: the CONNECT's credentials are checked instead");
        assertNull(CertificateIdentity.OFF.userOf(c));
        assertNull(CertificateIdentity.SAN_EMAIL.userOf(ca.client("bare", "O=no-cn").certificate()));
        assertNull(CertificateIdentity.CN.userOf(ca.client("no-cn", "O=no-cn").certificate()));
    }

    @Test
    void settingNamesParse() {
        assertEquals(CertificateIdentity.SAN_DNS, CertificateIdentity.parse(" SAN-DNS "));
        assertEquals(CertificateIdentity.OFF, CertificateIdentity.parse("off"));
        assertThrows(IllegalArgumentException.class, () -> CertificateIdentity.parse("subject"));
        assertEquals(ClientAuthMode.REQUIRED, ClientAuthMode.parse("required"));
        assertThrows(IllegalArgumentException.class, () -> ClientAuthMode.parse("yes"));
    }
}

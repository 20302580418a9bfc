package io.gomq.launcher.cli;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailoverTest {
    private static final List<BrokerAddress> THREE = BrokerAddress.parseList(List.of("n1:9000,n2:9000,n3:9000"), 9000);

    private static ConnectFailure refused(int connackCode) {
        return Mqtt3Link.classify(new MqttException(connackCode));
    }

    @Test
    void skipsMembersRefusingWithConnack3AndUsesTheLeader() {
        List<String> tried = new ArrayList<>();
        String used = Failover.firstAccepting(THREE, a -> {
            tried.add(a.host());
            if (!a.host().equals("n2")) {
                throw refused(3);
            }
            return a.host();
        });
        assertEquals("n2", used);
        assertEquals(List.of("n1", "n2"), tried);
    }

    @Test
    void skipsUnreachableBrokers() {
        String used = Failover.firstAccepting(THREE, a -> {
            if (!a.host().equals("n3")) {
                throw new ConnectFailure(ConnectFailure.Kind.UNREACHABLE, "Connection refused", null);
            }
            return a.host();
        });
        assertEquals("n3", used);
    }

    @Test
    void badCredentialsStopTheSearch() {
        List<String> tried = new ArrayList<>();
        CtlException e = assertThrows(CtlException.class, () -> Failover.firstAccepting(THREE, a -> {
            tried.add(a.host());
            throw refused(4);
        }));
        assertEquals(ExitCode.NOT_AUTHORIZED, e.exitCode());
        assertEquals(List.of("n1"), tried);
        assertTrue(e.getMessage().contains("CONNACK 4"), e.getMessage());
    }

    @Test
    void allMembersMeansUnavailable() {
        CtlException e = assertThrows(CtlException.class, () -> Failover.firstAccepting(THREE, a -> {
            throw refused(3);
        }));
        assertEquals(ExitCode.UNAVAILABLE, e.exitCode());
        assertTrue(e.getMessage().contains("n3:9000"), e.getMessage());
    }

    @Test
    void allUnreachableMeansUnreachable() {
        CtlException e = assertThrows(CtlException.class, () -> Failover.firstAccepting(THREE, a -> {
            throw new ConnectFailure(ConnectFailure.Kind.UNREACHABLE, "Connection refused", null);
        }));
        assertEquals(ExitCode.UNREACHABLE, e.exitCode());
    }

    @Test
    void connackCodesAreClassified() {
        assertEquals(ConnectFailure.Kind.REJECTED, refused(1).kind());
        assertEquals(ConnectFailure.Kind.REJECTED, refused(2).kind());
        assertEquals(ConnectFailure.Kind.UNAVAILABLE, refused(3).kind());
        assertEquals(ConnectFailure.Kind.NOT_AUTHORIZED, refused(4).kind());
        assertEquals(ConnectFailure.Kind.NOT_AUTHORIZED, refused(5).kind());
        assertEquals(ConnectFailure.Kind.UNREACHABLE, refused(MqttException.REASON_CODE_SERVER_CONNECT_ERROR).kind());
    }
}

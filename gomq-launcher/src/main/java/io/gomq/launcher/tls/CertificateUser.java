package io.gomq.launcher.tls;

import io.gomq.core.codec.Connect;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The MQTT user a verified client certificate stands for (tls-identity-as-user). When there is
 * one it replaces the CONNECT's user name and no password is checked: the CA vouched for the
 * client, as with Mosquitto's use_identity_as_username.
 */
public final class CertificateUser {
    static final AttributeKey<String> KEY = AttributeKey.valueOf("gomq.certificate.user");

    private CertificateUser() {
    }

    /** The certificate's user name, or null: no TLS, no certificate, identity off, or no such field in it. */
    public static String of(Channel channel) {
        return channel.hasAttr(KEY) ? channel.attr(KEY).get() : null;
    }

    /** {@code c} with {@code user} as its user name and without a password. */
    public static Connect replaceUser(Connect c, String user) {
        return new Connect(c.protocolName(), c.protocolLevel(), c.cleanSession(), c.keepAliveSeconds(), c.clientId(),
                c.will(), user, null, c.properties());
    }
}

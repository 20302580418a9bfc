package io.gomq.launcher.testing;

import io.gomq.core.codec.Connect;
import io.gomq.core.codec.MqttEncoder;
import io.gomq.core.codec.MqttPacket;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/** A raw TCP MQTT peer for conformance tests: writes exact bytes, reads whole packets. */
public final class RawMqttClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    public RawMqttClient(int port) throws IOException {
        this(port, null);
    }

    /**
     * A client from {@code localAddress} (e.g. 127.0.0.2: on Linux all of 127.0.0.0/8 is loopback),
     * so that tests can show per-address limits; null = the default.
     */
    public RawMqttClient(int port, String localAddress) throws IOException {
        socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setSoTimeout(5_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
    }

    public Socket socket() {
        return socket;
    }

    public RawMqttClient send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    public RawMqttClient send(int... bytes) throws IOException {
        return send(bytes(bytes));
    }

    public RawMqttClient send(MqttPacket packet) throws IOException {
        ByteBuffer b = MqttEncoder.encode(packet);
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return send(a);
    }

    /** Sends CONNECT and returns the CONNACK bytes. */
    public byte[] connect(String clientId, boolean clean, int keepAliveSeconds) throws IOException {
        send(Connect.of(clientId, clean, keepAliveSeconds));
        return readPacket();
    }

    /** Reads one whole packet (fixed header included). */
    public byte[] readPacket() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int first = readByte();
        out.write(first);
        int remaining = 0;
        int shift = 0;
        int b;
        do {
            b = readByte();
            out.write(b);
            remaining |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] body = in.readNBytes(remaining);
        if (body.length < remaining) {
            throw new EOFException("closed inside a packet");
        }
        out.write(body);
        return out.toByteArray();
    }

    /** Whether the broker closes the connection within {@code millis}; data read meanwhile is discarded. */
    public boolean closedWithin(long millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        byte[] buf = new byte[8192];
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            try {
                if (in.read(buf) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the peer
            }
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed by the broker");
        }
        return b;
    }

    public static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    public static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

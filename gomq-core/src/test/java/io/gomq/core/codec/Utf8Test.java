package io.gomq.core.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import static io.gomq.core.codec.CodecTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Utf8Test {

    @ParameterizedTest
    @ValueSource(strings = {"", "plain/ascii", "\u00e9\u00fc", "\u20ac\uFFFF\uFEFF", "\uD83D\uDE00 \uDBFF\uDFFF", "\u007F\u0080\u07FF\u0800"})
    void shouldDecodeAndEncodeWellFormedStrings(String s) {
        byte[] raw = utf8(s);
        assertEquals(s, Utf8.decode(ByteBuffer.wrap(raw), 0, raw.length));
        assertEquals(raw.length, Utf8.encodedLength(s));
        ByteBuffer out = ByteBuffer.allocate(raw.length);
        Utf8.write(out, s);
        assertEquals(ByteBuffer.wrap(raw), out.flip());
        ByteBuffer direct = ByteBuffer.allocateDirect(raw.length).put(raw).flip();
        assertEquals(s, Utf8.decode(direct, 0, raw.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "00",           // U+0000
            "6100",         // U+0000 after ASCII
            "c080",         // overlong U+0000
            "c1bf",         // overlong
            "e08080",       // overlong 3-byte
            "eda080",       // encoded high surrogate U+D800
            "edbfbf",       // encoded low surrogate U+DFFF
            "f08f8080",     // overlong 4-byte
            "f4908080",     // above U+10FFFF
            "f8888080",     // 5-byte lead
            "80",           // lone continuation
            "c3",           // cut short
            "e282",         // cut short
            "c328",         // bad continuation
            "ff"})
    void shouldRejectMalformedUtf8(String hex) {
        byte[] raw = HexFormat.of().parseHex(hex);
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> Utf8.decode(ByteBuffer.wrap(raw), 0, raw.length));
        assertEquals(DecodeError.MALFORMED_UTF8, e.error());
    }

    @Test
    void shouldRefuseToEncodeLoneSurrogate() {
        assertThrows(IllegalArgumentException.class, () -> Utf8.encodedLength("a\uDC00"));
        assertThrows(IllegalArgumentException.class, () -> Utf8.encodedLength("a\uD800b"));
    }
}

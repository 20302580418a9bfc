package io.gomq.core.topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicsTest {

    // MQTT 3.1.1 section 4.7 examples plus edge cases: filter, topic, expected match
    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "sport/tennis/player1/#|sport/tennis/player1|true",
            "sport/tennis/player1/#|sport/tennis/player1/ranking|true",
            "sport/tennis/player1/#|sport/tennis/player1/score/wimbledon|true",
            "sport/#|sport|true",
            "#|sport/tennis|true",
            "#|/|true",
            "sport/tennis/+|sport/tennis/player1|true",
            "sport/tennis/+|sport/tennis/player2|true",
            "sport/tennis/+|sport/tennis/player1/ranking|false",
            "sport/+|sport|false",
            "sport/+|sport/|true",
            "+/+|/finance|true",
            "/+|/finance|true",
            "+|/finance|false",
            "+|finance|true",
            "+/tennis/#|sport/tennis|true",
            "+/tennis/#|sport/tennis/x/y|true",
            "sport/tennis|sport/tennis|true",
            "sport/tennis|sport/tennis/|false",
            "sport/tennis|Sport/tennis|false",
            "a/b/c|a/b|false",
            "a/b|a/b/c|false",
            "#|$SYS/monitor|false",
            "+/monitor/Clients|$SYS/monitor/Clients|false",
            "$SYS/#|$SYS/monitor/Clients|true",
            "$SYS/monitor/+|$SYS/monitor/Clients|true",
            "a//c|a//c|true",
            "a/+/c|a//c|true",
    })
    void shouldMatchAsTheSpecSays(String filter, String topic, boolean expected) {
        assertEquals(expected, Topics.matches(filter, topic));
        TopicTree<String> tree = new TopicTree<>();
        tree.subscribe(filter, "s", io.gomq.core.message.Qos.AT_MOST_ONCE);
        assertEquals(expected ? 1 : 0, tree.match(topic).size(), "tree and matcher must agree");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sport/tennis#", "sport/tennis/#/ranking", "sport+", "sport/+x", "#/a", "", "a\u0000b"})
    void shouldRejectInvalidFilter(String filter) {
        assertThrows(InvalidTopicException.class, () -> Topics.validateFilter(filter));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sport/+", "a/#", "", "a\u0000b", "#"})
    void shouldRejectInvalidTopicName(String topic) {
        assertThrows(InvalidTopicException.class, () -> Topics.validateName(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "+/+", "/", "a/+/b/#", "$SYS/#", "sport/tennis/player1", "/finance", "ünïcødé/主题"})
    void shouldAcceptValidFilter(String filter) {
        assertEquals(filter, Topics.validateFilter(filter));
    }

    @Test
    void shouldRejectTopicOverSixtyFiveKilobytesOfUtf8() {
        String big = "é".repeat(40_000); // 80,000 UTF-8 bytes
        InvalidTopicException e = assertThrows(InvalidTopicException.class, () -> Topics.validateName(big));
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
        Topics.validateName("a".repeat(65_535));
    }

    @Test
    void shouldRejectLoneSurrogate() {
        assertThrows(InvalidTopicException.class, () -> Topics.validateName("a\uD800b"));
    }
}

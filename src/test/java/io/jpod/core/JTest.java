package io.jpod.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class JTest {
    @Test
    void handParsedInstantsMatchJavaTime() {
        for (String t : new String[] {"2026-11-29T14:10:48.221940297Z", "2026-11-29T14:10:48Z", "1970-01-01T00:00:00Z",
                "2024-02-29T23:59:59.5Z", "2026-11-29T14:10:48.000000001Z", "1999-12-31T23:59:59.123Z"}) {
            assertEquals(Instant.parse(t), J.instant(t), t);
        }
        Instant now = Instant.now();
        assertEquals(now, J.instant(now.toString()), "round trip of what ContainerConfig writes");
        assertNull(J.instant(null));
    }

    @Test
    void otherFormsFallBackToJavaTime() {
        assertEquals(Instant.parse("2026-11-29T14:10:48+01:00"), J.instant("2026-11-29T14:10:48+01:00"));
        assertEquals(Instant.parse("+12026-11-29T14:10:48Z"), J.instant("+12026-11-29T14:10:48Z"));
    }
}

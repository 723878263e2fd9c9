package io.jpod.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SizesTest {
    @Test
    void binaryUnitsWithOptionalB() {
        assertEquals(67108864L, Sizes.parseBytes("64m", "--memory"));
        assertEquals(67108864L, Sizes.parseBytes("64M", "--memory"));
        assertEquals(67108864L, Sizes.parseBytes("64mb", "--memory"));
        assertEquals(1L << 30, Sizes.parseBytes("1g", "--memory"));
        assertEquals(512L << 10, Sizes.parseBytes("512k", "--memory"));
        assertEquals(512L << 10, Sizes.parseBytes("512KB", "--memory"));
        assertEquals(1L << 40, Sizes.parseBytes("1t", "--memory"));
        assertEquals(1024L, Sizes.parseBytes("1024", "--memory"));
        assertEquals(100L, Sizes.parseBytes("100b", "--memory"));
        assertEquals(3L << 29, Sizes.parseBytes("1.5g", "--memory"));
        assertEquals(0L, Sizes.parseBytes("0", "--memory"));
    }

    @Test
    void junkIsRejectedNamingTheFlag() {
        for (String s : new String[] {"", "abc", "-1", "m", "b", "1x", "NaN", "Infinity", "1..2g", "1d", "2f", "1e3"}) {
            JpodException e = assertThrows(JpodException.class, () -> Sizes.parseBytes(s, "--memory"), s);
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertEquals("invalid size \"" + s + "\" for --memory: use a number with an optional unit b, k, m or g (e.g. 64m)",
                    e.getMessage());
        }
        assertEquals("invalid size \"null\" for --shm-size: use a number with an optional unit b, k, m or g (e.g. 64m)",
                assertThrows(JpodException.class, () -> Sizes.parseBytes(null, "--shm-size")).getMessage());
    }
}

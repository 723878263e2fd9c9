package io.jpod.engine;

import io.jpod.core.ErrorCode;
import io.jpod.core.JpodException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetachKeysTest {
    @Test
    void podmansNotation() {
        assertArrayEquals(new byte[] {0x10, 0x11}, DetachKeys.defaults().sequence());
        assertArrayEquals(new byte[] {0x01, 'x', 0x1d, 0x00, 0x1f}, DetachKeys.parse("ctrl-a,x,ctrl-],ctrl-@,ctrl-_").sequence());
        assertArrayEquals(new byte[] {0x10, 0x11}, DetachKeys.parse(null).sequence());
        assertTrue(DetachKeys.parse("").disabled(), "an empty sequence turns detaching off");
    }

    @Test
    void badKeysAreOneClearError() {
        JpodException e = assertThrows(JpodException.class, () -> DetachKeys.parse("ctrl-p,ctrl-1"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("\"ctrl-1\" is not a key"), e.getMessage());
        assertThrows(JpodException.class, () -> DetachKeys.parse("alt-x"));
        assertThrows(JpodException.class, () -> DetachKeys.parse("ctrl-p,,ctrl-q"));
    }
}

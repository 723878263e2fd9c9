package io.jpod.oci;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncMessageTest {
    @Test
    void apiVersion1DataCarriesThePid() {
        SyncMessage m = SyncMessage.parse("{\"data\": 6278}\n");
        assertEquals(6278, m.data());
        assertNull(m.message());
        assertFalse(m.failed());
    }

    @Test
    void olderConmonsPidFieldIsAccepted() {
        SyncMessage m = SyncMessage.parse("{\"pid\":17}");
        assertEquals(17, m.data());
        assertFalse(m.failed());
    }

    @Test
    void dataWinsOverPid() {
        assertEquals(5, SyncMessage.parse("{\"pid\": 6, \"data\": 5}").data());
    }

    @Test
    void negativeDataIsAFailureWithRuncsMessage() {
        SyncMessage m = SyncMessage.parse("{\"data\": -1, \"message\": \"runc create failed: unable to start container "
                + "process: exec: \\\"nope\\\": executable file not found in $PATH\"}");
        assertTrue(m.failed());
        assertEquals(-1, m.data());
        assertEquals("runc create failed: unable to start container process: exec: \"nope\": executable file not found in $PATH",
                m.message());
    }

    @Test
    void failureWithoutMessageHasNullMessage() {
        SyncMessage m = SyncMessage.parse("{\"data\": -2}");
        assertTrue(m.failed());
        assertNull(m.message());
    }

    @Test
    void garbageIsRejectedNamingWhatWasSent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyncMessage.parse("  oops{\n"));
        assertEquals("conmon sent an unreadable sync message: oops{", e.getMessage());
    }

    @Test
    void aJsonValueThatIsNoObjectIsUnreadable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyncMessage.parse("[1]"));
        assertTrue(e.getMessage().startsWith("conmon sent an unreadable sync message"), e.getMessage());
    }

    @Test
    void anObjectWithoutANumericPidIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyncMessage.parse("{\"message\": \"x\"}"));
        assertEquals("conmon sync message has no pid: {\"message\": \"x\"}", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SyncMessage.parse("{\"data\": \"12\"}"));
    }
}

package dev.isthmus.dpdk.net;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChecksumsTest {
    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2, whose complement is 220d.
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0x220d, Checksums.of(MemorySegment.ofArray(b), 0, 8));
    }

    @Test
    void agreesWithThePlainDefinitionOnRandomData() {
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[r.nextInt(1600)];
            r.nextBytes(b);
            int off = b.length == 0 ? 0 : r.nextInt(Math.min(b.length, 7) + 1);
            int len = b.length - off;
            assertEquals(Frames.naiveChecksum(b, off, len), Checksums.of(MemorySegment.ofArray(b), off, len),
                    "length " + len + " at " + off);
        }
    }

    @Test
    void macAddressesRoundTrip() {
        long mac = Wire.parseMac("02:a0:0B:c0:ff:01");
        assertEquals("02:a0:0b:c0:ff:01", Wire.macToString(mac));
        assertEquals(0x02a00bc0ff01L, mac);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Wire.parseMac("02:a0:0b"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Wire.parseMac("02:a0:0b:c0:ff:zz"));
    }
}

package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandGapTest {
    @Test
    void noGapIsOk() {
        assertEquals(CheckItem.Mark.OK, CommandGap.item(List.of()).mark());
    }

    @Test
    void eachMissingCommandSaysWhatPsyncDoesWithIt() {
        CheckItem item = CommandGap.item(List.of("delex", "xackdel", "xcfgset"));
        assertEquals(CheckItem.Mark.WARN, item.mark());
        assertTrue(item.finding().contains("3 write command(s) the target lacks: DELEX (psync: stops the link),"
                + " XACKDEL (psync: XACK + XDEL), XCFGSET (psync: dropped with --drop-stream-idempotency)"),
                item.finding());
    }
}

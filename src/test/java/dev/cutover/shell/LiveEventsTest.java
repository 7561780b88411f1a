package dev.cutover.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cutover.session.LiveFigures;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveEventsTest {
    private static LiveFigures streaming(long lag, String link, long freezeLeft) {
        return new LiveFigures("native", freezeLeft >= 0 ? "frozen(" + freezeLeft + "s left)" : "streaming", lag, 0.5,
                freezeLeft, link);
    }

    @Test
    void linkDownAndUpAreReportedOnce() {
        LiveEvents events = new LiveEvents();
        assertEquals(List.of(), events.next(streaming(0, "up", -1)));
        assertEquals(List.of("replication link down: the target lost the source (lag shows the last error)"),
                events.next(streaming(0, "down", -1)));
        assertEquals(List.of(), events.next(streaming(0, "down", -1)));
        assertEquals(List.of("replication link up again"), events.next(streaming(0, "up", -1)));
    }

    @Test
    void freezeAboutToExpireAndExpired() {
        LiveEvents events = new LiveEvents();
        events.next(streaming(0, "up", 12));
        assertEquals(List.of("the freeze ends in 10s: writes on the source will resume"), events.next(streaming(0, "up", 10)));
        assertEquals(List.of(), events.next(streaming(0, "up", 3)));
        assertEquals(List.of("the freeze ended (--max reached): writes on the source resumed"),
                events.next(streaming(0, "up", -1)));
    }

    @Test
    void lagSpikeCrossesTheThresholdOnce() {
        LiveEvents events = new LiveEvents();
        events.next(streaming(100, "up", -1));
        assertEquals(List.of("lag spike: the target is 2.0 MB behind"), events.next(streaming(2 * 1024 * 1024, "up", -1)));
        assertEquals(List.of(), events.next(streaming(3 * 1024 * 1024, "up", -1)));
    }

    @Test
    void lineShowsModeStateLagAndFreeze() {
        assertEquals("native · frozen(42s left) · lag 0 B / 0.5s · freeze 42s left", LiveEvents.line(streaming(0, "up", 42)));
        assertEquals("native · streaming · lag 1.0 KB / 0.5s · link down", LiveEvents.line(streaming(1024, "down", -1)));
        assertEquals("", LiveEvents.line(new LiveFigures("", "connected", -1, 0, -1, "")));
    }
}

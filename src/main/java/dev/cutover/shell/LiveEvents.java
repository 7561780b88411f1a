package dev.cutover.shell;

import dev.cutover.Figures;
import dev.cutover.session.LiveFigures;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns successive readings into the events worth printing above the prompt. */
final class LiveEvents {
    static final long LAG_SPIKE_BYTES = 1024 * 1024;
    static final long FREEZE_WARNING_SECONDS = 10;
    private LiveFigures previous;

    List<String> next(LiveFigures now) {
        List<String> events = new ArrayList<>();
        if (previous != null) {
            if (previous.link().equals("up") && now.link().equals("down")) {
                events.add("replication link down: the target lost the source (lag shows the last error)");
            }
            if (previous.link().equals("down") && now.link().equals("up")) {
                events.add("replication link up again");
            }
            if (previous.freezeLeftSec() > FREEZE_WARNING_SECONDS && now.freezeLeftSec() >= 0
                    && now.freezeLeftSec() <= FREEZE_WARNING_SECONDS) {
                events.add("the freeze ends in " + now.freezeLeftSec() + "s: writes on the source will resume");
            }
            if (previous.freezeLeftSec() > 0 && now.freezeLeftSec() < 0 && now.state().startsWith("streaming")) {
                events.add("the freeze ended (--max reached): writes on the source resumed");
            }
            if (previous.lagBytes() >= 0 && previous.lagBytes() < LAG_SPIKE_BYTES && now.lagBytes() >= LAG_SPIKE_BYTES) {
                events.add("lag spike: the target is " + Figures.bytes(now.lagBytes()) + " behind");
            }
        }
        previous = now;
        return events;
    }

    /** The status line's text, or empty when nothing is running. */
    static String line(LiveFigures f) {
        if (f.mode().isEmpty() && f.freezeLeftSec() < 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        if (!f.mode().isEmpty()) {
            sb.append(f.mode()).append(" · ");
        }
        sb.append(f.state());
        if (f.lagBytes() >= 0) {
            sb.append(" · lag ").append(Figures.bytes(f.lagBytes()))
                    .append(String.format(Locale.ROOT, " / %.1fs", f.lagSeconds()));
        }
        if (!f.link().isEmpty() && !f.link().equals("up")) {
            sb.append(" · link ").append(f.link());
        }
        if (f.freezeLeftSec() >= 0) {
            sb.append(" · freeze ").append(f.freezeLeftSec()).append("s left");
        }
        return sb.toString();
    }
}

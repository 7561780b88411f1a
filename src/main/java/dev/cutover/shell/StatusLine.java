package dev.cutover.shell;

import dev.cutover.session.LiveFigures;
import dev.cutover.session.Session;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Status;

/**
 * The line under the prompt while replication runs or writes are frozen, refreshed every second
 * without disturbing what is being typed; events print above the prompt. Absent on a terminal
 * that cannot show it (and without a terminal there is no interactive shell at all).
 */
final class StatusLine implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cutover-status-line");
        t.setDaemon(true);
        return t;
    });
    private final Session session;
    private final LineReader reader;
    private final Status status;
    private final LiveEvents events = new LiveEvents();
    private String shown = "";

    StatusLine(Session session, LineReader reader, Terminal terminal) {
        this.session = session;
        this.reader = reader;
        this.status = Status.getStatus(terminal);
    }

    void start() {
        timer.scheduleWithFixedDelay(this::refresh, 1, 1, TimeUnit.SECONDS);
    }

    private void refresh() {
        try {
            LiveFigures figures = session.figures();
            for (String event : events.next(figures)) {
                reader.printAbove(new AttributedString("! " + event, AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)));
            }
            String line = LiveEvents.line(figures);
            // Only at the prompt: drawn while a command prints, the line could be scrolled away
            // and, being unchanged, never drawn again.
            if (status != null && !line.equals(shown) && reader.isReading()) {
                // An empty update leaves the old text on screen: draw a blank line instead.
                status.update(List.of(line.isEmpty() ? new AttributedString("")
                        : new AttributedString(line, AttributedStyle.DEFAULT.inverse())));
                shown = line;
            }
        } catch (RuntimeException e) {
            // A failed refresh must never disturb the prompt; the next one tries again.
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (status != null) {
            status.close();
        }
    }
}

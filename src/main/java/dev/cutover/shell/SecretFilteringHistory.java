package dev.cutover.shell;

import dev.cutover.endpoint.Redaction;
import java.time.Instant;
import org.jline.reader.impl.history.DefaultHistory;

/** History that never records a line carrying a password. */
public final class SecretFilteringHistory extends DefaultHistory {
    @Override
    public void add(Instant time, String line) {
        if (Redaction.carriesSecret(line)) {
            return;
        }
        super.add(time, line);
    }
}

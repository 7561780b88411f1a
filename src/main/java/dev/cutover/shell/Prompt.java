package dev.cutover.shell;

import dev.cutover.endpoint.EndpointUri;
import dev.cutover.endpoint.Role;
import dev.cutover.session.Session;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/** The prompt: {@code cutover [source=10.0.0.5:6379 target=–] idle> }. */
final class Prompt {
    private Prompt() {
    }

    static String text(Session session) {
        return "cutover [" + endpoints(session) + "] " + session.state().label() + "> ";
    }

    static String ansi(Session session) {
        AttributedStringBuilder sb = new AttributedStringBuilder();
        sb.style(AttributedStyle.BOLD).append("cutover").style(AttributedStyle.DEFAULT).append(" [")
                .style(AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN)).append(endpoints(session))
                .style(AttributedStyle.DEFAULT).append("] ")
                .style(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)).append(session.state().label())
                .style(AttributedStyle.DEFAULT).append("> ");
        return sb.toAnsi();
    }

    private static String endpoints(Session session) {
        return "source=" + session.uri(Role.SOURCE).map(EndpointUri::address).orElse("–")
                + " target=" + session.uri(Role.TARGET).map(EndpointUri::address).orElse("–");
    }

    static AttributedString faint(String text) {
        return new AttributedString(text, AttributedStyle.DEFAULT.faint());
    }
}

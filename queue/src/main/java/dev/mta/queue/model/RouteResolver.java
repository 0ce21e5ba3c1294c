package dev.mta.queue.model;

import dev.mta.protocol.command.MailPath;

/** Gives each recipient its route when a message enters the queue (the relay's transport map decides). */
@FunctionalInterface
public interface RouteResolver {
    /** SMTP to the recipient's domain, found through DNS. */
    RouteResolver BY_DOMAIN = r -> Route.smtp(r.domainKey());

    Route routeOf(MailPath recipient);
}

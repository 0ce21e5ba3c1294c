package dev.mta.server;

import dev.mta.protocol.command.MailPath;
import dev.mta.queue.model.Route;
import dev.mta.queue.model.RouteResolver;
import dev.mta.relay.transport.local.LocalTransport;
import dev.mta.server.policy.LocalDomains;

/** Routes the recipients of the local domains (in force at their arrival) to the local transport, others as before. */
final class LocalRouting implements RouteResolver {
    private final LocalDomains domains;
    private final Route local;
    private final RouteResolver others;

    LocalRouting(LocalDomains domains, String hostname, RouteResolver others) {
        this.domains = domains;
        this.local = LocalTransport.route(hostname);
        this.others = others;
    }

    @Override
    public Route routeOf(MailPath recipient) {
        return domains.isLocal(recipient) ? local : others.routeOf(recipient);
    }
}

package dev.mta.server.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mta.queue.model.QueueIds;
import dev.mta.server.control.ControlClient;
import dev.mta.server.control.MessageView;
import dev.mta.server.control.ViewJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code mta queue list|show|flush|delete|hold|release|summary}: Postfix's mailq, postqueue, postsuper and qshape in
 * one tool. It talks to the running MTA over the control channel in its spool ({@link ControlClient}); list, show
 * and summary also read a stopped MTA's spool, without changing it ({@link QueueAccess}). Exit status: 0 done;
 * 1 no such message, or no MTA running for a change; 2 bad usage.
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "See and manage the queue: list, show, flush, delete, hold, release, summary",
        subcommands = {QueueCommand.ListCommand.class, QueueCommand.ShowCommand.class, QueueCommand.FlushCommand.class,
                QueueCommand.DeleteCommand.class, QueueCommand.HoldCommand.class, QueueCommand.ReleaseCommand.class,
                QueueCommand.SummaryCommand.class})
public final class QueueCommand implements Callable<Integer> {
    static final int FAILED = 1;
    static final int USAGE = 2;
    private static final JsonFactory JSON = new JsonFactory();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("mta: queue needs a subcommand: list, show, flush, delete, hold, release or "
                + "summary (see mta queue --help)");
        return USAGE;
    }

    /** What every subcommand shares: the options, the way to the queue, output, and errors as exit statuses. */
    abstract static class Sub implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        QueueOptions options = new QueueOptions();

        /** Does the work; returns the exit status. */
        abstract int run(QueueAccess queue, PrintWriter out, PrintWriter err) throws IOException, QueueAccess.NoServer;

        @Override
        public Integer call() {
            ToolLogging.toStandardError();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                return run(new QueueAccess(options.spool(), err), out, err);
            } catch (QueueAccess.NoServer e) {
                err.println("mta: " + e.getMessage());
                return FAILED;
            } catch (IOException e) {
                err.println("mta: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
                return FAILED;
            } finally {
                out.flush();
                err.flush();
            }
        }

        /** A queue id as given (any case, leading zeros optional) in its usual form; bad usage when it is none. */
        String id(String text) {
            try {
                return QueueIds.format(QueueIds.parse(text));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "not a queue id: " + text);
            }
        }

        List<String> ids(List<String> texts) {
            List<String> out = new ArrayList<>();
            texts.forEach(t -> out.add(id(t)));
            return out;
        }

        JsonGenerator json(PrintWriter out) throws IOException {
            JsonGenerator g = JSON.createGenerator(out);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            return g;
        }

        /** A change the running MTA must make; refused in one line when none runs. */
        ControlClient.Changed change(QueueAccess queue, Change change) throws IOException, QueueAccess.NoServer {
            try {
                return change.apply(queue.server());
            } catch (ControlClient.NotRunning e) {
                throw queue.noServer(e);
            }
        }

        /** Prints what a change did: a line per id done, a line on stderr per id not queued (then exit status 1). */
        int report(ControlClient.Changed c, String verb, PrintWriter out, PrintWriter err) throws IOException {
            if (options.json()) {
                try (JsonGenerator g = json(out)) {
                    g.writeStartObject();
                    if (verb.equals("flushed")) {
                        g.writeNumberField("moved", c.moved());
                    }
                    g.writeArrayFieldStart("done");
                    for (String id : c.done()) {
                        g.writeString(id);
                    }
                    g.writeEndArray();
                    g.writeArrayFieldStart("missing");
                    for (String id : c.missing()) {
                        g.writeString(id);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                out.println();
            } else {
                for (String id : c.done()) {
                    out.println(verb + ": " + id);
                }
            }
            for (String id : c.missing()) {
                err.println("mta: no message " + id + " in the queue");
            }
            return c.missing().isEmpty() ? 0 : FAILED;
        }
    }

    /** One request to the running MTA. */
    interface Change {
        ControlClient.Changed apply(ControlClient server) throws IOException;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List queued messages with each remaining recipient and its last error (as mailq)")
    static final class ListCommand extends Sub {
        @Override
        int run(QueueAccess queue, PrintWriter out, PrintWriter err) throws IOException {
            List<MessageView> messages = queue.list();
            if (options.json()) {
                try (JsonGenerator g = json(out)) {
                    g.writeStartObject();
                    g.writeArrayFieldStart("messages");
                    for (MessageView m : messages) {
                        ViewJson.write(g, m);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                out.println();
            } else {
                ListingText.print(messages, ZoneId.systemDefault(), out);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one message: its envelope as received and each recipient's state")
    static final class ShowCommand extends Sub {
        @Parameters(index = "0", paramLabel = "ID", description = "Queue id")
        String id;

        @Override
        int run(QueueAccess queue, PrintWriter out, PrintWriter err) throws IOException {
            String wanted = id(id);
            Optional<MessageView> m = queue.show(wanted);
            if (m.isEmpty()) {
                err.println("mta: no message " + wanted + " in the queue");
                return FAILED;
            }
            if (options.json()) {
                try (JsonGenerator g = json(out)) {
                    ViewJson.write(g, m.get());
                }
                out.println();
            } else {
                ShowText.print(m.get(), Instant.now(), ZoneId.systemDefault(), out);
            }
            return 0;
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true,
            description = "Make deferred mail due now: every message, or the ones named (held ones stay held)")
    static final class FlushCommand extends Sub {
        @Parameters(paramLabel = "ID", arity = "0..*", description = "Queue ids (default: every message)")
        List<String> given = new ArrayList<>();

        @Override
        int run(QueueAccess queue, PrintWriter out, PrintWriter err) throws IOException, QueueAccess.NoServer {
            ControlClient.Changed c = change(queue, s -> s.flush(ids(given)));
            if (!options.json()) {
                out.println("flushed: " + c.moved() + (c.moved() == 1 ? " delivery" : " deliveries") + " due now");
                return report(new ControlClient.Changed(List.of(), c.missing(), c.moved()), "flushed", out, err);
            }
            return report(c, "flushed", out, err);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete messages for good (no bounce); durable before it answers")
    static final class DeleteCommand extends Sub {
        @Parameters(paramLabel = "ID", arity = "0..*", description = "Queue ids")
        List<String> given = new ArrayList<>();

        @Option(names = "--all", description = "Delete every queued message")
        boolean all;

        @Override
        int run(QueueAccess queue, PrintWriter out, PrintWriter err) throws IOException, QueueAccess.NoServer {
            if (all == !given.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "delete takes queue ids, or --all");
            }
            if (all) {
                ControlClient.Changed c = change(queue, ControlClient::deleteAll);
                if (!options.json()) {
                    out.println("deleted: " + c.done().size() + (c.done().size() == 1 ? " message" : " messages"));
                    return 0;
                }
                return report(c, "deleted", out, err);
            }
            List<String> ids = ids(given);
            return report(change(queue, s -> s.delete(ids)), "deleted", out, err);
        }
    }

    @Command(name = "hold", mixinStandardHelpOptions = true,
            description = "Keep messages out of delivery until released (across restarts too)")
    static final class HoldCommand extends Sub {
        @Parameters(paramLabel = "ID", arity = "1..*", description = "Queue ids")
        List<String> given;

        @Override
        int run(QueueAccess queue, PrintWriter out, PrintWriter err) throws IOException, QueueAccess.NoServer {
            List<String> ids = ids(given);
            return report(change(queue, s -> s.hold(ids)), "held", out, err);
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
            description = "Release held messages: what waited is due now")
    static final class ReleaseCommand extends Sub {
        @Parameters(paramLabel = "ID", arity = "1..*", description = "Queue ids")
        List<String> given;

        @Override
        int run(QueueAccess queue, PrintWriter out, PrintWriter err) throws IOException, QueueAccess.NoServer {
            List<String> ids = ids(given);
            return report(change(queue, s -> s.release(ids)), "released", out, err);
        }
    }

    @Command(name = "summary", mixinStandardHelpOptions = true,
            description = "Recipients by destination and age in minutes (as qshape)")
    static final class SummaryCommand extends Sub {
        @Override
        int run(QueueAccess queue, PrintWriter out, PrintWriter err) throws IOException {
            QueueShape shape = QueueShape.of(queue.list(), Instant.now());
            if (options.json()) {
                try (JsonGenerator g = json(out)) {
                    shape.writeJson(g);
                }
                out.println();
            } else {
                shape.printText(out);
            }
            return 0;
        }
    }
}

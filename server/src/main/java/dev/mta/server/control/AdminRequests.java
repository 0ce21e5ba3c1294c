package dev.mta.server.control;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.mta.queue.admin.QueueAdmin;
import dev.mta.queue.model.QueueEntry;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Carries out control requests on the queue's {@link QueueAdmin} and writes each reply as one JSON object:
 * {@code {"ok": true, ...}} with {@code "messages"} (list), {@code "message"} (show, null when not queued),
 * {@code "moved"} (flush), {@code "done"} and {@code "missing"} (ids acted on and ids not queued: flush, delete,
 * hold, release); or {@code {"ok": false, "error": "..."}}. Runs on the control channel's own threads: show reads
 * the disk, and delete, hold and release wait until their record is durable, so "done" means it survives a restart.
 */
final class AdminRequests {
    private final QueueAdmin admin;
    private final Duration durableWait;

    AdminRequests(QueueAdmin admin, Duration durableWait) {
        this.admin = admin;
        this.durableWait = durableWait;
    }

    /** Answers {@code r} on {@code g}: a whole reply object, or an exception before anything was written. */
    void answer(ControlRequest r, JsonGenerator g) throws IOException {
        switch (r.op()) {
            case LIST:
                list(g);
                return;
            case SHOW:
                show(r.ids().get(0), g);
                return;
            case FLUSH:
                flush(r.ids(), g);
                return;
            case DELETE:
                changed(r.all() ? allIds() : r.ids(), admin::delete, g, -1);
                return;
            case HOLD:
                changed(r.ids(), admin::hold, g, -1);
                return;
            case RELEASE:
                changed(r.ids(), admin::release, g, -1);
                return;
            default:
                throw new IllegalArgumentException("unknown op " + r.op());
        }
    }

    /** Writes {@code {"ok": false, "error": message}}. */
    static void error(JsonGenerator g, String message) throws IOException {
        g.writeStartObject();
        g.writeBooleanField("ok", false);
        g.writeStringField("error", message);
        g.writeEndObject();
    }

    private void list(JsonGenerator g) throws IOException {
        List<QueueEntry> entries = admin.list(); // in memory, under the index's lock only for the copy
        g.writeStartObject();
        g.writeBooleanField("ok", true);
        g.writeArrayFieldStart("messages");
        for (QueueEntry e : entries) {
            ViewJson.write(g, MessageView.of(e));
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void show(String id, JsonGenerator g) throws IOException {
        Optional<QueueAdmin.MessageDetails> d = admin.show(id); // reads the envelope from the disk
        g.writeStartObject();
        g.writeBooleanField("ok", true);
        if (d.isPresent()) {
            g.writeFieldName("message");
            ViewJson.write(g, MessageView.of(d.get()));
        } else {
            g.writeNullField("message");
        }
        g.writeEndObject();
    }

    private void flush(List<String> ids, JsonGenerator g) throws IOException {
        if (ids.isEmpty()) {
            writeChanged(g, admin.flush(), List.of(), List.of());
            return;
        }
        int moved = 0;
        List<String> done = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            Optional<Integer> n = admin.flush(id);
            if (n.isPresent()) {
                moved += n.get();
                done.add(id);
            } else {
                missing.add(id);
            }
        }
        writeChanged(g, moved, done, missing);
    }

    private List<String> allIds() {
        List<String> ids = new ArrayList<>();
        for (QueueEntry e : admin.list()) {
            ids.add(e.id());
        }
        return ids;
    }

    /** Starts {@code action} on every id, then waits until every record it writes is durable. */
    private void changed(List<String> ids, Function<String, CompletableFuture<Boolean>> action, JsonGenerator g,
                         int moved) throws IOException {
        Map<String, CompletableFuture<Boolean>> started = new LinkedHashMap<>();
        for (String id : ids) {
            started.putIfAbsent(id, action.apply(id));
        }
        try {
            CompletableFuture.allOf(started.values().toArray(new CompletableFuture<?>[0]))
                    .get(durableWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the queue did not confirm the change within " + durableWait.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IOException("the queue could not write the change: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the change was being written");
        }
        List<String> done = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<Boolean>> e : started.entrySet()) {
            (e.getValue().join() ? done : missing).add(e.getKey());
        }
        writeChanged(g, moved, done, missing);
    }

    private static void writeChanged(JsonGenerator g, int moved, List<String> done, List<String> missing)
            throws IOException {
        g.writeStartObject();
        g.writeBooleanField("ok", true);
        if (moved >= 0) {
            g.writeNumberField("moved", moved);
        }
        g.writeArrayFieldStart("done");
        for (String id : done) {
            g.writeString(id);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("missing");
        for (String id : missing) {
            g.writeString(id);
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}

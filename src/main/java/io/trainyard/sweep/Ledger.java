package io.trainyard.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.trainyard.run.Json;
import io.trainyard.run.UserInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sweep's append-only record of trial events ({@code trials/ledger.jsonl}, one JSON object per line). Each event is
 * written and forced to disk before the sweep acts on it, so after a crash the ledger says exactly which trials
 * ended (and how) and which were running. A last line cut short by a kill is ignored. Once {@link #seal()} is
 * called (the process is being terminated), nothing more is written: failures caused by the shutdown itself must not
 * be recorded as the trials' results.
 */
public final class Ledger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);
    private static final ObjectWriter LINE = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);
    private final Path file;
    private final FileChannel channel;
    private final Map<String, TrialOutcome> ended = new HashMap<>();
    private final java.util.Set<String> stopped = new java.util.HashSet<>();
    private boolean sealed;

    private Ledger(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Opens the ledger at {@code file}, reading what an earlier run of the same sweep recorded. A ledger written for
     * another spec or other data (another {@code fingerprint}) is refused rather than mixed with this one.
     */
    public static Ledger open(Path file, String fingerprint) {
        List<LedgerEvent> earlier = read(file);
        if (!earlier.isEmpty() && !fingerprint.equals(earlier.get(0).fingerprint())) {
            throw new UserInputException(file + " records a sweep of another spec or other data; rerun with the "
                    + "spec and data it was started with to resume it, or choose another --out");
        }
        try {
            Files.createDirectories(file.getParent());
            // Never through a link planted at the ledger's name: appends go to this file or nowhere.
            Ledger ledger = new Ledger(
                    file,
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND,
                            LinkOption.NOFOLLOW_LINKS));
            earlier.forEach(ledger::remember);
            if (earlier.isEmpty()) {
                ledger.append(LedgerEvent.sweep(fingerprint));
            }
            return ledger;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the sweep ledger " + file, e);
        }
    }

    /** The events in the file; a torn last line (the process died while writing it) is dropped. */
    public static List<LedgerEvent> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sweep ledger " + file, e);
        }
        List<LedgerEvent> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                out.add(Json.MAPPER.readValue(lines.get(i), LedgerEvent.class));
            } catch (JsonProcessingException e) {
                if (i < lines.size() - 1) {
                    throw new UserInputException(
                            file + " line " + (i + 1) + " is not a ledger event: " + e.getOriginalMessage());
                }
                LOG.warn("{}: ignoring the last line, cut short when the sweep stopped", file);
            }
        }
        return out;
    }

    /** Writes {@code event} and forces it to disk; does nothing once sealed. */
    public synchronized void append(LedgerEvent event) {
        if (sealed) {
            return;
        }
        try {
            byte[] line = (LINE.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the sweep ledger " + file, e);
        }
        remember(event);
    }

    private void remember(LedgerEvent event) {
        if (event.outcome() != null) {
            ended.put(key(event.trial(), event.epochs()), event.outcome());
        }
        if (LedgerEvent.STOPPED.equals(event.event())) {
            stopped.add(key(event.trial(), event.epochs()));
        }
    }

    /** Records that the strategy stopped the trial at this budget, unless an earlier run recorded it already. */
    public synchronized void stopped(TrialPlan plan) {
        if (!stopped.contains(key(plan.id(), plan.epochs()))) {
            append(LedgerEvent.stopped(plan));
        }
    }

    /** How the trial ended at this epoch budget, if a run recorded it. */
    public synchronized Optional<TrialOutcome> ended(int trial, int epochs) {
        return Optional.ofNullable(ended.get(key(trial, epochs)));
    }

    /** Stops all further writes (the process is being terminated). */
    public synchronized void seal() {
        sealed = true;
    }

    private static String key(int trial, int epochs) {
        return trial + "@" + epochs;
    }

    @Override
    public synchronized void close() {
        sealed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("cannot close {}: {}", file, e.toString());
        }
    }
}

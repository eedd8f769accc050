package io.scanorder.e2e.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * N threads each repeating one operation as fast as it completes (a closed loop): a warm-up that is
 * not counted, then a measured window. Gives the rate and the latency of the operation.
 */
final class ClosedLoop {

    /** One thread's operation; {@link #close()} runs once when the thread stops. */
    interface Worker extends AutoCloseable {
        void once() throws Exception;

        /**
         * Runs before each {@link #once()}, outside its timing (e.g. a fresh diner session when the
         * current one is about to reach its rate limit).
         */
        default void prepare() throws Exception {}

        /**
         * The kind of the operation {@link #once()} just completed (e.g. {@code settled}), or null;
         * the loop keeps one histogram per kind besides the overall one.
         */
        default String kind() {
            return null;
        }

        @Override
        default void close() throws Exception {}
    }

    /** A thread's worker, made on that thread (so a connection is opened where it is used). */
    interface WorkerFactory {
        Worker create(int thread) throws Exception;
    }

    /**
     * What a run measured.
     *
     * @param operations operations completed in the measured window
     * @param errors operations that threw in the measured window
     * @param firstError the first error seen, or null
     * @param byKind latency of the measured operations per {@link Worker#kind()}
     */
    record Result(
            long operations,
            long errors,
            Duration window,
            Histogram micros,
            Throwable firstError,
            Map<String, Histogram> byKind) {
        double perSecond() {
            return operations / (window.toNanos() / 1e9);
        }

        /** Operations of {@code kind} per second of the measured window. */
        double perSecond(String kind) {
            Histogram h = byKind.get(kind);
            return h == null ? 0 : h.getTotalCount() / (window.toNanos() / 1e9);
        }

        /** Latency of the operations of {@code kind}; all zero when there were none. */
        Latency latency(String kind) {
            Histogram h = byKind.get(kind);
            return h == null ? new Latency(0, 0, 0, 0, 0) : Latency.ofMicros(h);
        }
    }

    private ClosedLoop() {}

    static Result run(int threads, Duration warmUp, Duration window, WorkerFactory factory)
            throws InterruptedException {
        Histogram micros = Latency.newHistogram();
        AtomicLong operations = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        Map<String, Histogram> byKind = new ConcurrentHashMap<>();
        // 0 = warm-up, 1 = measuring, 2 = stop
        AtomicLong phase = new AtomicLong();
        List<Thread> running = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int index = i;
            Thread t =
                    new Thread(
                            () -> {
                                try (Worker worker = factory.create(index)) {
                                    long p;
                                    while ((p = phase.get()) < 2) {
                                        try {
                                            worker.prepare();
                                            p = phase.get();
                                            long start = System.nanoTime();
                                            worker.once();
                                            long nanos = System.nanoTime() - start;
                                            if (p == 1) {
                                                Latency.recordNanos(micros, nanos);
                                                operations.incrementAndGet();
                                                String kind = worker.kind();
                                                if (kind != null) {
                                                    Latency.recordNanos(
                                                            byKind.computeIfAbsent(
                                                                    kind,
                                                                    k -> Latency.newHistogram()),
                                                            nanos);
                                                }
                                            }
                                        } catch (Exception e) {
                                            if (p == 1) {
                                                errors.incrementAndGet();
                                            }
                                            firstError.compareAndSet(null, e);
                                        }
                                    }
                                } catch (Exception e) {
                                    firstError.compareAndSet(null, e);
                                }
                            },
                            "bench-loop-" + i);
            t.setDaemon(true);
            running.add(t);
            t.start();
        }
        Thread.sleep(warmUp.toMillis());
        long start = System.nanoTime();
        phase.set(1);
        Thread.sleep(window.toMillis());
        phase.set(2);
        Duration measured = Duration.ofNanos(System.nanoTime() - start);
        for (Thread t : running) {
            t.join(30_000);
        }
        return new Result(
                operations.get(),
                errors.get(),
                measured,
                micros,
                firstError.get(),
                Map.copyOf(byKind));
    }
}

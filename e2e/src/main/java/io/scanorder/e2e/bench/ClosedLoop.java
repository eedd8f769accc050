package io.scanorder.e2e.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
     */
    record Result(
            long operations, long errors, Duration window, Histogram micros, Throwable firstError) {
        double perSecond() {
            return operations / (window.toNanos() / 1e9);
        }
    }

    private ClosedLoop() {}

    static Result run(int threads, Duration warmUp, Duration window, WorkerFactory factory)
            throws InterruptedException {
        Histogram micros = Latency.newHistogram();
        AtomicLong operations = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
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
                                        long start = System.nanoTime();
                                        try {
                                            worker.once();
                                            if (p == 1) {
                                                Latency.recordNanos(
                                                        micros, System.nanoTime() - start);
                                                operations.incrementAndGet();
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
        return new Result(operations.get(), errors.get(), measured, micros, firstError.get());
    }
}

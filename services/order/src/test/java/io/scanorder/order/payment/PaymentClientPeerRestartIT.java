package io.scanorder.order.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.proto.payment.v1.QueryPaymentRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PaymentClient against a real gRPC PaymentService peer on a loopback port ({@link PaymentPeer})
 * that is stopped, restarted and slowed while many callers use the client at once: one channel
 * rides it out, nobody's call is failed by somebody else's reconnect, and calls succeed again soon
 * after the peer is back.
 */
class PaymentClientPeerRestartIT {
    private static final int CALLERS = 50;
    private static final Duration DEADLINE = Duration.ofSeconds(2);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private PaymentPeer peer;
    private PaymentClient client;

    @BeforeEach
    void start() {
        peer = new PaymentPeer().start();
        client = new PaymentClient("127.0.0.1", peer.port, DEADLINE, registry);
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.close();
        peer.close();
    }

    @Test
    void fiftyCallersRideOutAPeerRestartOnOneConnectionWithoutFailingEachOther() throws Exception {
        try (Load load = new Load(client, i -> false)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.succeeded() >= 2 * CALLERS);
            int connectionsBefore = peer.connections();

            peer.stop();
            // down for longer than a deadline: callers see DEADLINE_EXCEEDED all at once
            Thread.sleep(DEADLINE.multipliedBy(2).toMillis());
            long failedWhileDown = load.failed();
            peer.start();
            long restarted = System.nanoTime();
            long bound = PaymentClient.RECONNECT_INTERVAL.plus(Duration.ofSeconds(2)).toNanos();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> load.finishedStartingAfter(restarted + bound) >= 2 * CALLERS);
            load.close();

            assertThat(failedWhileDown).as("calls failed while the peer was down").isPositive();
            assertThat(load.outcomes(c -> c.started() >= restarted + bound))
                    .as("every call started 3 s after the restart succeeds")
                    .isNotEmpty()
                    .allMatch(c -> c.status() == null);
            // a call in flight when the peer is killed may see its stream cut (UNAVAILABLE,
            // CANCELLED); a call is never failed by another call's reconnect
            assertThat(load.outcomes(c -> c.status() != null))
                    .as("no call fails because another call shut the channel down")
                    .allMatch(
                            c ->
                                    c.status().getCode() == Status.Code.DEADLINE_EXCEEDED
                                            || c.status().getCode() == Status.Code.UNAVAILABLE
                                            || c.status().getCode() == Status.Code.CANCELLED)
                    .noneMatch(
                            c ->
                                    String.valueOf(c.status().getDescription())
                                            .contains("Channel shutdown"));
            double recycled = reconnects("deadline_exceeded");
            // at most 3 deadlines passed between the first time-out and the last: one per deadline
            assertThat(recycled).as("connections dropped after a deadline").isBetween(1.0, 5.0);
            assertThat(peer.connections() - connectionsBefore)
                    .as("connections the restarted peer accepted")
                    .isBetween(1, 1 + (int) recycled);
            // while down, connection attempts came at most once a second, not once per call
            assertThat(reconnects("unreachable")).isLessThanOrEqualTo(10.0);
        }
    }

    @Test
    void callsOnASlowPeerTimeOutAloneWhileCallsInFlightFinish() throws Exception {
        // odd callers' requests take longer than the deadline, even callers' fit inside it
        peer.delay(
                outTradeNo ->
                        outTradeNo.endsWith("odd")
                                ? DEADLINE.plusSeconds(1)
                                : DEADLINE.dividedBy(2));
        try (Load load = new Load(client, i -> i % 2 == 1)) {
            Thread.sleep(DEADLINE.multipliedBy(3).toMillis());
            peer.delay(outTradeNo -> Duration.ZERO);
            long fast = System.nanoTime();
            long bound = DEADLINE.plusSeconds(2).toNanos();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> load.finishedStartingAfter(fast + bound) >= 2 * CALLERS);
            load.close();

            assertThat(load.outcomes(c -> !c.odd() && c.started() < fast))
                    .as("calls the slow peer answered in time, on connections being reopened")
                    .isNotEmpty()
                    .allMatch(c -> c.status() == null);
            assertThat(load.outcomes(c -> c.odd() && c.status() != null))
                    .as("calls the slow peer did not answer in time")
                    .isNotEmpty()
                    .allMatch(c -> c.status().getCode() == Status.Code.DEADLINE_EXCEEDED);
            assertThat(load.outcomes(c -> c.started() >= fast + bound))
                    .isNotEmpty()
                    .allMatch(c -> c.status() == null);
            // 3 deadlines of time-outs by 25 callers: one reopened connection per deadline
            assertThat(reconnects("deadline_exceeded")).isBetween(1.0, 5.0);
            assertThat(peer.connections()).isBetween(1, 6);
        }
    }

    @Test
    void aCallWaitingOutAnOutageGetsItsAnswerSoonAfterThePeerIsBack() throws Exception {
        PaymentClient patient =
                new PaymentClient("127.0.0.1", peer.port, Duration.ofSeconds(20), registry);
        try {
            patient.prepay(prepay("warm"));
            peer.stop();
            // grpc-java backs off between connection attempts, 1 s growing by 1.6 each time
            CompletableFuture<Long> answeredAt =
                    CompletableFuture.supplyAsync(
                            () -> {
                                patient.prepay(prepay("waiting"));
                                return System.nanoTime();
                            });
            Thread.sleep(10_000);
            assertThat(answeredAt).isNotDone();
            peer.start();
            long restarted = System.nanoTime();

            long waited = answeredAt.get(15, TimeUnit.SECONDS) - restarted;
            assertThat(Duration.ofNanos(waited))
                    .as("answer after the restart, not after the next backoff step (~6.5 s)")
                    .isLessThan(PaymentClient.RECONNECT_INTERVAL.plusSeconds(2));
            long before = System.nanoTime();
            patient.queryPayment(QueryPaymentRequest.newBuilder().setOutTradeNo("next").build());
            assertThat(Duration.ofNanos(System.nanoTime() - before))
                    .isLessThan(Duration.ofSeconds(2));
        } finally {
            patient.close();
        }
    }

    @Test
    void callsStuckOnAConnectionThatWentSilentMoveToANewConnectionAfterOneDeadline()
            throws Exception {
        try (SilentDropProxy proxy = new SilentDropProxy(peer.port)) {
            PaymentClient viaProxy = new PaymentClient("127.0.0.1", proxy.port, DEADLINE, registry);
            try {
                viaProxy.prepay(prepay("before"));
                assertThat(proxy.accepted()).isEqualTo(1);
                // the pod behind the Service vanished: the open connection looks fine but is dead
                proxy.silenceOpenConnections();
                long silenced = System.nanoTime();

                assertThatThrownBy(() -> viaProxy.prepay(prepay("stuck")))
                        .isInstanceOfSatisfying(
                                StatusRuntimeException.class,
                                e ->
                                        assertThat(e.getStatus().getCode())
                                                .isEqualTo(Status.Code.DEADLINE_EXCEEDED));
                assertThat(viaProxy.prepay(prepay("after")).getPrepayId()).isEqualTo("wxafter");

                assertThat(Duration.ofNanos(System.nanoTime() - silenced))
                        .isLessThan(DEADLINE.plusSeconds(2));
                assertThat(proxy.accepted())
                        .as("a new connection after the silent one")
                        .isEqualTo(2);
                assertThat(reconnects("deadline_exceeded")).isEqualTo(1.0);
            } finally {
                viaProxy.close();
            }
        }
    }

    @Test
    void unavailableIsRetriedForIdempotentCallsAndRefusalsAreNot() {
        peer.refuseFirstAttempt("retried-prepay");
        peer.refuseFirstAttempt("retried-query");
        peer.refuse("closed");

        assertThat(client.prepay(prepay("retried-prepay")).getPrepayId())
                .isEqualTo("wxretried-prepay");
        assertThat(
                        client.queryPayment(
                                        QueryPaymentRequest.newBuilder()
                                                .setOutTradeNo("retried-query")
                                                .build())
                                .getOutTradeNo())
                .isEqualTo("retried-query");
        assertThat(peer.attempts("retried-prepay")).isEqualTo(2);
        assertThat(peer.attempts("retried-query")).isEqualTo(2);
        assertThatThrownBy(() -> client.prepay(prepay("closed")))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e ->
                                assertThat(e.getStatus().getCode())
                                        .isEqualTo(Status.Code.FAILED_PRECONDITION));
        assertThat(peer.attempts("closed")).isEqualTo(1);
        assertThat(calls("Prepay", "failed_precondition")).isEqualTo(1.0);
        assertThat(calls("Prepay", "ok")).isEqualTo(1.0);
        assertThat(calls("QueryPayment", "ok")).isEqualTo(1.0);
    }

    @Test
    void callsAreCountedByRpcAndOutcome() throws Exception {
        client.prepay(prepay("counted"));
        peer.delay(outTradeNo -> DEADLINE.plusSeconds(1));

        assertThatThrownBy(() -> client.prepay(prepay("late")))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e ->
                                assertThat(e.getStatus().getCode())
                                        .isEqualTo(Status.Code.DEADLINE_EXCEEDED));

        assertThat(calls("Prepay", "ok")).isEqualTo(1.0);
        assertThat(calls("Prepay", "deadline_exceeded")).isEqualTo(1.0);
        assertThat(reconnects("deadline_exceeded")).isEqualTo(1.0);
    }

    private double calls(String rpc, String outcome) {
        Counter c =
                registry.find(PaymentClient.CALLS)
                        .tag("rpc", rpc)
                        .tag("outcome", outcome)
                        .counter();
        return c == null ? 0 : c.count();
    }

    private double reconnects(String trigger) {
        Counter c = registry.find(PaymentClient.RECONNECTS).tag("trigger", trigger).counter();
        return c == null ? 0 : c.count();
    }

    private static PrepayRequest prepay(String outTradeNo) {
        return PrepayRequest.newBuilder().setOutTradeNo(outTradeNo).build();
    }

    /** One finished call: when it started (System.nanoTime) and its error status, null if ok. */
    record Outcome(long started, boolean odd, Status status) {}

    /**
     * {@value #CALLERS} threads calling Prepay and QueryPayment in turn until closed (at most two
     * minutes), recording every outcome.
     */
    private static final class Load implements AutoCloseable {
        private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private final long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        private volatile boolean stopped;

        Load(PaymentClient client, java.util.function.IntPredicate odd) {
            for (int i = 0; i < CALLERS; i++) {
                int caller = i;
                String suffix = odd.test(caller) ? "odd" : "even";
                Thread t =
                        new Thread(
                                () -> {
                                    for (int n = 0; !stopped && System.nanoTime() < end; n++) {
                                        String outTradeNo = "c" + caller + "_" + n + suffix;
                                        long started = System.nanoTime();
                                        Status status = null;
                                        try {
                                            if (n % 2 == 0) {
                                                client.prepay(prepay(outTradeNo));
                                            } else {
                                                client.queryPayment(
                                                        QueryPaymentRequest.newBuilder()
                                                                .setOutTradeNo(outTradeNo)
                                                                .build());
                                            }
                                        } catch (StatusRuntimeException e) {
                                            status = e.getStatus();
                                        }
                                        outcomes.add(
                                                new Outcome(started, suffix.equals("odd"), status));
                                    }
                                },
                                "payment-caller-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        long succeeded() {
            return outcomes.stream().filter(o -> o.status() == null).count();
        }

        long failed() {
            return outcomes.stream().filter(o -> o.status() != null).count();
        }

        long finishedStartingAfter(long nanos) {
            return outcomes.stream().filter(o -> o.started() >= nanos).count();
        }

        List<Outcome> outcomes(Predicate<Outcome> which) {
            return outcomes.stream().filter(which).toList();
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }
}

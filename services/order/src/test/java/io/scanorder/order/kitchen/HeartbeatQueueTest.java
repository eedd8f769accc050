package io.scanorder.order.kitchen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeartbeatQueueTest {
    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void aNewerHeartbeatReplacesTheWaitingOneAndKeepsItsPlaceInLine() throws Exception {
        HeartbeatQueue q = new HeartbeatQueue(10);
        assertThat(q.offer(beat("a", 1, 0))).isEqualTo(HeartbeatQueue.Offer.QUEUED);
        assertThat(q.offer(beat("b", 1, 1))).isEqualTo(HeartbeatQueue.Offer.QUEUED);
        assertThat(q.offer(beat("a", 2, 2))).isEqualTo(HeartbeatQueue.Offer.SUPERSEDED);

        List<HeartbeatQueue.Beat> taken = q.take(10, 0);
        assertThat(taken).extracting(HeartbeatQueue.Beat::deviceId).containsExactly("a", "b");
        assertThat(taken.get(0).heartbeat().queueDepth()).isEqualTo(2);
        assertThat(q.size()).isZero();
    }

    @Test
    void anOlderHeartbeatArrivingLateDoesNotReplaceANewerOne() throws Exception {
        HeartbeatQueue q = new HeartbeatQueue(10);
        q.offer(beat("a", 2, 5));
        assertThat(q.offer(beat("a", 1, 3))).isEqualTo(HeartbeatQueue.Offer.SUPERSEDED);
        assertThat(q.take(10, 0).get(0).heartbeat().queueDepth()).isEqualTo(2);
    }

    @Test
    void whenFullAHeartbeatOfAFurtherDeviceIsDroppedButWaitingDevicesStillUpdate()
            throws Exception {
        HeartbeatQueue q = new HeartbeatQueue(2);
        q.offer(beat("a", 1, 0));
        q.offer(beat("b", 1, 0));
        assertThat(q.offer(beat("c", 1, 0))).isEqualTo(HeartbeatQueue.Offer.FULL);
        assertThat(q.offer(beat("b", 2, 1))).isEqualTo(HeartbeatQueue.Offer.SUPERSEDED);
        assertThat(q.take(10, 0))
                .extracting(b -> b.deviceId() + ":" + b.heartbeat().queueDepth())
                .containsExactly("a:1", "b:2");
    }

    @Test
    void takeReturnsAtMostTheBatchSizeOldestFirstAndWaitsForTheFirst() throws Exception {
        HeartbeatQueue q = new HeartbeatQueue(10);
        for (int i = 0; i < 5; i++) {
            q.offer(beat("d" + i, 1, i));
        }
        assertThat(q.take(3, 0))
                .extracting(HeartbeatQueue.Beat::deviceId)
                .containsExactly("d0", "d1", "d2");
        assertThat(q.take(3, 0))
                .extracting(HeartbeatQueue.Beat::deviceId)
                .containsExactly("d3", "d4");
        long t = System.nanoTime();
        assertThat(q.take(3, 200)).isEmpty();
        assertThat((System.nanoTime() - t) / 1_000_000).isGreaterThanOrEqualTo(150);

        Thread producer =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(100);
                            } catch (InterruptedException e) {
                                return;
                            }
                            q.offer(beat("late", 1, 9));
                        });
        producer.start();
        assertThat(q.take(3, 5_000))
                .extracting(HeartbeatQueue.Beat::deviceId)
                .containsExactly("late");
        producer.join();
    }

    @Test
    void aFailedBatchIsPutBackUnlessANewerHeartbeatArrivedMeanwhile() throws Exception {
        HeartbeatQueue q = new HeartbeatQueue(10);
        q.offer(beat("a", 1, 0));
        q.offer(beat("b", 1, 0));
        List<HeartbeatQueue.Beat> failed = q.take(10, 0);
        q.offer(beat("a", 2, 4));
        assertThat(q.putBack(failed)).isZero();
        assertThat(q.take(10, 0))
                .extracting(b -> b.deviceId() + ":" + b.heartbeat().queueDepth())
                .containsExactlyInAnyOrder("a:2", "b:1");
    }

    @Test
    void discardForgetsTheWaitingHeartbeatOfADeviceThatLeft() throws Exception {
        HeartbeatQueue q = new HeartbeatQueue(10);
        q.offer(beat("a", 1, 0));
        assertThat(q.isWaiting("001", "a")).isTrue();
        assertThat(q.discard("001", "a")).isTrue();
        assertThat(q.isWaiting("001", "a")).isFalse();
        assertThat(q.discard("001", "a")).isFalse();
        assertThat(q.take(10, 0)).isEmpty();
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new HeartbeatQueue(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity must be at least 1 but was 0");
    }

    private static HeartbeatQueue.Beat beat(String device, int depth, int second) {
        return new HeartbeatQueue.Beat(
                "001",
                device,
                new DeviceHealthUpdates.Heartbeat("OK", "CLOSED", "ONLINE", depth, "test"),
                T0.plusSeconds(second));
    }
}

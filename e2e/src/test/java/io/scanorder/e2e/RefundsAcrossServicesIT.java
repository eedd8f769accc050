package io.scanorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.scanorder.proto.order.v1.AcceptOrderRequest;
import io.scanorder.proto.order.v1.Actor;
import io.scanorder.proto.order.v1.ActorKind;
import io.scanorder.proto.order.v1.ApproveRefundRequest;
import io.scanorder.proto.order.v1.OrderServiceGrpc;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.RefundRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Refunds through the whole platform: a diner's single-item refund, approved by staff in the order
 * service, reaches WeChat Pay (the simulator) with its goods and comes back as refunded money on
 * the order; a refund asked of the payment service directly, without the order service's approval,
 * is refused by the payment service after it read the order back from the real order service.
 */
@ExtendWith(SharedPlatform.class)
class RefundsAcrossServicesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Actor STAFF =
            Actor.newBuilder().setKind(ActorKind.ACTOR_KIND_STAFF).setId("manager-wang").build();

    @Test
    void anApprovedItemRefundIsPaidOutWhileRefundsWithoutApprovalAreRefusedByThePaymentService(
            LocalPlatform platform) throws Exception {
        DinerApi diner = new DinerApi(platform).behind("10.79.0.7");
        String scene =
                new DemoDinner(platform, new PrintStream(new ByteArrayOutputStream()))
                        .scanFirstTable();
        String token = diner.login("o-refund-" + UUID.randomUUID(), scene);
        JsonNode placed =
                diner.orderLine(scene, token, DemoDinner.HOT_SKU, 2, "refund-" + UUID.randomUUID())
                        .expect(201);
        String orderId = placed.path("orderId").asText();
        JsonNode line = placed.path("lines").get(0);
        long unitPrice = line.path("unitPriceFen").asLong();
        String trade = diner.startPayment(orderId, token).expect(200).path("outTradeNo").asText();
        String orderKey = trade.substring(0, trade.indexOf('_'));
        diner.payerPays(trade).expect(200);
        await().atMost(WAIT)
                .until(
                        () -> diner.order(orderId, token).expect(200).path("state").asText(),
                        "PAID"::equals);

        ManagedChannel orderChannel = channel(platform.orderGrpcPort());
        ManagedChannel paymentChannel = channel(platform.paymentGrpcPort());
        try {
            var staff =
                    OrderServiceGrpc.newBlockingStub(orderChannel)
                            .withDeadlineAfter(20, TimeUnit.SECONDS);
            staff.acceptOrder(
                    AcceptOrderRequest.newBuilder().setOrderId(orderId).setActor(STAFF).build());

            // The diner asks for one of the two portions back: it waits for staff.
            ObjectNode body = JSON.createObjectNode();
            body.put("reason", "one portion was enough");
            ObjectNode asked = body.putArray("lines").addObject();
            asked.put("lineId", line.path("lineId").asText());
            asked.put("quantity", 1);
            JsonNode requested =
                    diner.post(
                                    platform.dinerApiBaseUrl() + "/orders/" + orderId + "/refunds",
                                    token,
                                    body,
                                    "refund-" + UUID.randomUUID())
                            .expect(200);
            assertThat(requested.path("refundState").asText()).isEqualTo("AWAITING_APPROVAL");
            String refundId = requested.path("refundId").asText();

            // Not approved yet: asking the payment service directly gets nothing paid out.
            StatusRuntimeException early =
                    refuse(paymentChannel, refund(platform, trade, orderKey + "_R1", unitPrice));
            assertThat(early.getStatus().getDescription())
                    .contains("has no refund numbered " + orderKey + "_R1");

            staff.approveRefund(
                    ApproveRefundRequest.newBuilder()
                            .setOrderId(orderId)
                            .setRefundId(refundId)
                            .setApprove(true)
                            .setApprover(STAFF)
                            .setReason("portion not started")
                            .build());

            await().atMost(WAIT)
                    .until(
                            () ->
                                    diner.order(orderId, token)
                                            .expect(200)
                                            .path("refundedFen")
                                            .asLong(),
                            fen -> fen == unitPrice);
            // A single-item refund does not stop the order: the kitchen goes on with the rest.
            assertThat(diner.order(orderId, token).expect(200).path("state").asText())
                    .isIn("ACCEPTED", "DISPATCHING", "COOKING", "READY");
            JsonNode atWeChat = refundAtWeChat(diner, platform, orderKey + "_R1");
            assertThat(atWeChat).as("refund %s_R1 at the simulator", orderKey).isNotNull();
            assertThat(atWeChat.path("refund").asLong()).isEqualTo(unitPrice);
            assertThat(atWeChat.path("goods")).hasSize(1);
            assertThat(atWeChat.path("goods").get(0).path("merchantGoodsId").asText())
                    .isEqualTo(DemoDinner.HOT_SKU);
            assertThat(atWeChat.path("goods").get(0).path("refundQuantity").asInt()).isEqualTo(1);

            // The other portion, asked of the payment service directly, is refused there.
            StatusRuntimeException forged =
                    refuse(paymentChannel, refund(platform, trade, orderKey + "_R2", unitPrice));
            assertThat(forged.getStatus().getDescription())
                    .contains("has no refund numbered " + orderKey + "_R2");
            assertThat(refundAtWeChat(diner, platform, orderKey + "_R2")).isNull();
            assertThat(diner.order(orderId, token).expect(200).path("refundedFen").asLong())
                    .isEqualTo(unitPrice);
        } finally {
            orderChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            paymentChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static StatusRuntimeException refuse(ManagedChannel payments, RefundRequest request) {
        StatusRuntimeException e =
                catchThrowableOfType(
                        StatusRuntimeException.class,
                        () ->
                                PaymentServiceGrpc.newBlockingStub(payments)
                                        .withDeadlineAfter(20, TimeUnit.SECONDS)
                                        .refund(request));
        assertThat(e).as("refund %s must be refused", request.getOutRefundNo()).isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(e.getStatus().getDescription())
                .contains("refund not allowed by the order's record");
        return e;
    }

    private static RefundRequest refund(
            LocalPlatform platform, String trade, String outRefundNo, long fen) {
        return RefundRequest.newBuilder()
                .setStoreCode(platform.examples().storeCode())
                .setOutTradeNo(trade)
                .setOutRefundNo(outRefundNo)
                .setRefundFen(fen)
                .setTotalFen(2 * fen)
                .setReason("forged")
                .build();
    }

    private static JsonNode refundAtWeChat(
            DinerApi diner, LocalPlatform platform, String outRefundNo) {
        JsonNode refunds =
                diner.get(platform.endpoints().get("WeChat simulator") + "/__sim/refunds", null)
                        .expect(200);
        for (JsonNode r : refunds) {
            if (r.path("outRefundNo").asText().equals(outRefundNo)) {
                return r;
            }
        }
        return null;
    }

    private static ManagedChannel channel(int port) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }
}

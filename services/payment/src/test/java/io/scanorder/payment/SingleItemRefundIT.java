package io.scanorder.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.payment.store.PaymentRecord;
import io.scanorder.payment.store.PaymentStore;
import io.scanorder.payment.store.RefundState;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.RefundGoods;
import io.scanorder.proto.payment.v1.RefundRequest;
import io.scanorder.proto.payment.v1.RefundResult;
import io.scanorder.wechatsim.WeChatSimulator;
import io.scanorder.wechatsim.pay.RefundGoodsView;
import io.scanorder.wechatsim.pay.RefundView;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Single-item refunds (WeChat Pay goods_detail) end to end: the goods travel through the official
 * SDK to the WeChat simulator, which checks them the way WeChat does and keeps them; inconsistent
 * goods are refused by the payment service before anything reaches WeChat.
 */
@QuarkusTest
@WithTestResource(PaymentInfrastructure.class)
class SingleItemRefundIT {
    private static final String STORE = "001";
    private static final String MCH = PaymentInfrastructure.MCH_ID;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectWeChat WeChatSimulator wechat;
    @Inject PaymentStore store;

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        int port =
                ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aSingleItemRefundReachesWeChatWithItsGoodsAndCompletes() {
        String order = newOrder();
        String outTradeNo = order + "_1";
        payAndAwait(outTradeNo, 5_000); // 2 x beef noodles 1900 + 1 x tea 1200

        RefundResult refund =
                payments()
                        .refund(
                                approved(
                                        refund(outTradeNo, order + "_R1", 1_900)
                                                .addGoods(
                                                        goods(
                                                                "SKU-BEEF-L",
                                                                "Beef noodles",
                                                                1_900,
                                                                1,
                                                                1_900))
                                                .build()));

        assertThat(refund.getRefundFen()).isEqualTo(1_900);
        RefundView atWeChat = atWeChat(order + "_R1").orElseThrow();
        assertThat(atWeChat.refund()).isEqualTo(1_900);
        assertThat(atWeChat.goods())
                .extracting(
                        RefundGoodsView::merchantGoodsId,
                        RefundGoodsView::goodsName,
                        RefundGoodsView::unitPrice,
                        RefundGoodsView::refundQuantity,
                        RefundGoodsView::refundAmount)
                .containsExactly(tuple("SKU-BEEF-L", "Beef noodles", 1_900L, 1, 1_900L));
        await().atMost(WAIT)
                .until(
                        () ->
                                store.findRefund(order + "_R1").orElseThrow().state()
                                        == RefundState.SUCCESS);
        assertThat(store.refundedFen(outTradeNo)).isEqualTo(1_900);

        // Resending the same single-item refund (a lost answer) returns the first refund.
        RefundResult again =
                payments()
                        .refund(
                                refund(outTradeNo, order + "_R1", 1_900)
                                        .addGoods(
                                                goods(
                                                        "SKU-BEEF-L",
                                                        "Beef noodles",
                                                        1_900,
                                                        1,
                                                        1_900))
                                        .build());
        assertThat(again.getRefundId()).isEqualTo(refund.getRefundId());
    }

    @Test
    void goodsThatDoNotAddUpToTheRefundAreRefusedBeforeReachingWeChat() {
        String order = newOrder();
        String outTradeNo = order + "_1";
        payAndAwait(outTradeNo, 5_000);

        StatusRuntimeException short1 =
                refused(
                        refund(outTradeNo, order + "_R1", 3_100)
                                .addGoods(goods("SKU-BEEF-L", "Beef noodles", 1_900, 1, 1_900))
                                .build());
        assertThat(short1.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(short1.getStatus().getDescription())
                .contains("add up to 1900 fen")
                .contains("refund_fen is 3100");

        StatusRuntimeException tooMuch =
                refused(
                        refund(outTradeNo, order + "_R1", 4_000)
                                .addGoods(goods("SKU-BEEF-L", "Beef noodles", 1_900, 1, 2_800))
                                .addGoods(goods("SKU-TEA", "Jasmine tea", 1_200, 1, 1_200))
                                .build());
        assertThat(tooMuch.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(tooMuch.getStatus().getDescription())
                .contains("goods[0].refund_fen 2800")
                .contains("1900 x refund_quantity 1 = 1900")
                .doesNotContain("goods[1]");

        StatusRuntimeException noId =
                refused(
                        refund(outTradeNo, order + "_R1", 1_200)
                                .addGoods(goods("", "Jasmine tea", 1_200, 1, 1_200))
                                .build());
        assertThat(noId.getStatus().getDescription())
                .contains("goods[0].merchant_goods_id must be 1-32 characters");

        assertThat(atWeChat(order + "_R1")).isEmpty();
        assertThat(store.findRefund(order + "_R1")).isEmpty();
        assertThat(store.refundedFen(outTradeNo)).isZero();
    }

    private RefundRequest.Builder refund(String outTradeNo, String outRefundNo, long fen) {
        PaymentRecord paid = store.find(outTradeNo).orElseThrow();
        return RefundRequest.newBuilder()
                .setStoreCode(STORE)
                .setOutTradeNo(outTradeNo)
                .setOutRefundNo(outRefundNo)
                .setRefundFen(fen)
                .setTotalFen(paid.amountFen())
                .setReason("菜品售罄");
    }

    /** The request, once staff approved it at the (stand-in) order service, as in production. */
    private static RefundRequest approved(RefundRequest request) {
        return PaymentInfrastructure.orderService()
                .approve(request.getOutTradeNo().split("_")[0], request);
    }

    private static RefundGoods goods(
            String sku, String name, long unitPrice, int quantity, long fen) {
        return RefundGoods.newBuilder()
                .setMerchantGoodsId(sku)
                .setGoodsName(name)
                .setUnitPriceFen(unitPrice)
                .setRefundQuantity(quantity)
                .setRefundFen(fen)
                .build();
    }

    private StatusRuntimeException refused(RefundRequest request) {
        try {
            payments().refund(request);
            return null;
        } catch (StatusRuntimeException e) {
            return e;
        }
    }

    private Optional<RefundView> atWeChat(String outRefundNo) {
        List<RefundView> refunds = wechat.pay().refunds();
        return refunds.stream().filter(r -> r.outRefundNo().equals(outRefundNo)).findFirst();
    }

    private void payAndAwait(String outTradeNo, long fen) {
        PaidTrades.payAndAwait(payments(), wechat, store, MCH, outTradeNo, fen);
    }

    private PaymentServiceGrpc.PaymentServiceBlockingStub payments() {
        return PaymentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    private static String newOrder() {
        return PaidTrades.newOrder();
    }
}

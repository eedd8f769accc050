package io.scanorder.payment;

import static org.awaitility.Awaitility.await;

import io.scanorder.payment.store.PaymentRecord;
import io.scanorder.payment.store.PaymentState;
import io.scanorder.payment.store.PaymentStore;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc.PaymentServiceBlockingStub;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.wechatsim.WeChatSimulator;
import java.time.Duration;
import java.util.UUID;

/**
 * Trades paid the way production pays them, for tests that start from a paid trade: Prepay over
 * gRPC, the payer pays in the WeChat simulator, and its signed notification records the payment.
 */
final class PaidTrades {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private PaidTrades() {}

    /** A fresh order key; its first payment attempt is {@code key + "_1"}. */
    static String newOrder() {
        return "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
    }

    /** Prepays {@code fen} for store 001 (merchant {@code mchId}) and waits until it is paid. */
    static void payAndAwait(
            PaymentServiceBlockingStub payments,
            WeChatSimulator wechat,
            PaymentStore store,
            String mchId,
            String outTradeNo,
            long fen) {
        payments.prepay(
                PrepayRequest.newBuilder()
                        .setStoreCode("001")
                        .setOutTradeNo(outTradeNo)
                        .setOrderId(outTradeNo.split("_")[0])
                        .setDescription("ScanOrder 001 桌 12")
                        .setAmountFen(fen)
                        .setPayerOpenid("oPayer" + outTradeNo)
                        .build());
        wechat.pay().pay(mchId, outTradeNo);
        await().atMost(WAIT)
                .until(
                        () ->
                                store.find(outTradeNo).map(PaymentRecord::state).orElse(null)
                                        == PaymentState.SUCCESS);
    }
}

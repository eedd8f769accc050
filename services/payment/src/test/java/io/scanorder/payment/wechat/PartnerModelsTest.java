package io.scanorder.payment.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.wechat.pay.java.service.partnerpayments.model.TransactionAmount;
import com.wechat.pay.java.service.partnerpayments.model.TransactionPayer;
import com.wechat.pay.java.service.payments.jsapi.model.Amount;
import com.wechat.pay.java.service.payments.jsapi.model.Payer;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayRequest;
import com.wechat.pay.java.service.payments.model.Transaction;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PartnerModelsTest {
    private static PrepayRequest direct() {
        PrepayRequest request = new PrepayRequest();
        request.setAppid("wx5f3c1b2a9d8e7f60");
        request.setMchid("1900000109");
        request.setDescription("桌 8");
        request.setOutTradeNo("T0000000001_1");
        request.setNotifyUrl("https://pay.example.com/wechat/pay/notify");
        request.setTimeExpire("2026-11-26T13:00:00+08:00");
        Amount amount = new Amount();
        amount.setTotal(1234);
        amount.setCurrency("CNY");
        request.setAmount(amount);
        Payer payer = new Payer();
        payer.setOpenid("oDiner1");
        request.setPayer(payer);
        return request;
    }

    @Test
    void prepayForTheProvidersAppSendsTheOpenidAsSpOpenid() {
        var partner = PartnerModels.prepay(direct(), "1900000901", Optional.empty());

        assertThat(partner.getSpMchid()).isEqualTo("1900000109");
        assertThat(partner.getSpAppid()).isEqualTo("wx5f3c1b2a9d8e7f60");
        assertThat(partner.getSubMchid()).isEqualTo("1900000901");
        assertThat(partner.getSubAppid()).isNull();
        assertThat(partner.getPayer().getSpOpenid()).isEqualTo("oDiner1");
        assertThat(partner.getPayer().getSubOpenid()).isNull();
        assertThat(partner.getAmount().getTotal()).isEqualTo(1234);
        assertThat(partner.getAmount().getCurrency()).isEqualTo("CNY");
        assertThat(partner.getOutTradeNo()).isEqualTo("T0000000001_1");
        assertThat(partner.getTimeExpire()).isEqualTo("2026-11-26T13:00:00+08:00");
        assertThat(partner.getNotifyUrl()).endsWith("/wechat/pay/notify");
    }

    @Test
    void prepayForTheSubMerchantsOwnAppSendsTheOpenidAsSubOpenid() {
        var partner =
                PartnerModels.prepay(direct(), "1900000901", Optional.of("wx0000000000000901"));

        assertThat(partner.getSubAppid()).isEqualTo("wx0000000000000901");
        assertThat(partner.getPayer().getSubOpenid()).isEqualTo("oDiner1");
        assertThat(partner.getPayer().getSpOpenid()).isNull();
    }

    @Test
    void partnerTransactionReadsAsADirectOneOfTheProvider() {
        var partner = new com.wechat.pay.java.service.partnerpayments.jsapi.model.Transaction();
        partner.setSpMchid("1900000109");
        partner.setSpAppid("wx5f3c1b2a9d8e7f60");
        partner.setSubMchid("1900000901");
        partner.setOutTradeNo("T0000000001_1");
        partner.setTransactionId("4200000001");
        partner.setTradeState(
                com.wechat.pay.java.service.partnerpayments.jsapi.model.Transaction.TradeStateEnum
                        .SUCCESS);
        partner.setSuccessTime("2026-11-26T13:00:00+08:00");
        TransactionAmount amount = new TransactionAmount();
        amount.setTotal(1234);
        amount.setPayerTotal(1200);
        partner.setAmount(amount);
        TransactionPayer payer = new TransactionPayer();
        payer.setSubOpenid("oSub1");
        partner.setPayer(payer);

        Transaction direct = PartnerModels.transaction(partner);

        assertThat(direct.getMchid()).isEqualTo("1900000109");
        assertThat(direct.getAppid()).isEqualTo("wx5f3c1b2a9d8e7f60");
        assertThat(direct.getTradeState()).isEqualTo(Transaction.TradeStateEnum.SUCCESS);
        assertThat(direct.getTransactionId()).isEqualTo("4200000001");
        assertThat(direct.getAmount().getPayerTotal()).isEqualTo(1200);
        assertThat(direct.getPayer().getOpenid()).isEqualTo("oSub1");
        assertThat(direct.getSuccessTime()).isEqualTo("2026-11-26T13:00:00+08:00");
    }

    @Test
    void partnerOnlyAcceptStateReadsAsStillBeingPaid() {
        var partner = new com.wechat.pay.java.service.partnerpayments.jsapi.model.Transaction();
        partner.setTradeState(
                com.wechat.pay.java.service.partnerpayments.jsapi.model.Transaction.TradeStateEnum
                        .ACCEPT);

        assertThat(PartnerModels.transaction(partner).getTradeState())
                .isEqualTo(Transaction.TradeStateEnum.USERPAYING);
    }
}

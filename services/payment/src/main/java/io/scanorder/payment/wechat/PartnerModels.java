package io.scanorder.payment.wechat;

import com.wechat.pay.java.service.partnerpayments.jsapi.model.Amount;
import com.wechat.pay.java.service.partnerpayments.jsapi.model.Payer;
import com.wechat.pay.java.service.partnerpayments.jsapi.model.PrepayRequest;
import com.wechat.pay.java.service.partnerpayments.model.TransactionAmount;
import com.wechat.pay.java.service.partnerpayments.model.TransactionPayer;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayWithRequestPaymentResponse;
import com.wechat.pay.java.service.payments.model.Transaction;
import java.util.Optional;

/**
 * Translates between the direct-merchant SDK models the rest of the service speaks and the
 * service-provider ({@code partnerpayments}) ones, so that only {@link WeChatPayGateway} knows
 * which mode it is in. Identity maps sp_ to the direct fields ({@code sp_mchid} -> mchid, {@code
 * sp_appid} -> appid); the payer's openid is the sub_openid when the sub-merchant has its own app.
 */
final class PartnerModels {
    private PartnerModels() {}

    /** The partner prepay for {@code subMchid} carrying the same order as a direct one. */
    static PrepayRequest prepay(
            com.wechat.pay.java.service.payments.jsapi.model.PrepayRequest direct,
            String subMchid,
            Optional<String> subAppid) {
        PrepayRequest partner = new PrepayRequest();
        partner.setSpAppid(direct.getAppid());
        partner.setSpMchid(direct.getMchid());
        partner.setSubMchid(subMchid);
        subAppid.ifPresent(partner::setSubAppid);
        partner.setDescription(direct.getDescription());
        partner.setOutTradeNo(direct.getOutTradeNo());
        partner.setTimeExpire(direct.getTimeExpire());
        partner.setAttach(direct.getAttach());
        partner.setNotifyUrl(direct.getNotifyUrl());
        if (direct.getAmount() != null) {
            Amount amount = new Amount();
            amount.setTotal(direct.getAmount().getTotal());
            amount.setCurrency(direct.getAmount().getCurrency());
            partner.setAmount(amount);
        }
        if (direct.getPayer() != null) {
            Payer payer = new Payer();
            if (subAppid.isPresent()) {
                payer.setSubOpenid(direct.getPayer().getOpenid());
            } else {
                payer.setSpOpenid(direct.getPayer().getOpenid());
            }
            partner.setPayer(payer);
        }
        return partner;
    }

    static PrepayWithRequestPaymentResponse requestPayment(
            com.wechat.pay.java.service.partnerpayments.jsapi.model.PrepayWithRequestPaymentResponse
                    partner) {
        PrepayWithRequestPaymentResponse direct = new PrepayWithRequestPaymentResponse();
        direct.setAppId(partner.getAppId());
        direct.setTimeStamp(partner.getTimeStamp());
        direct.setNonceStr(partner.getNonceStr());
        direct.setPackageVal(partner.getPackageVal());
        direct.setSignType(partner.getSignType());
        direct.setPaySign(partner.getPaySign());
        return direct;
    }

    /** A partner transaction as the direct model: sp_mchid/sp_appid become mchid/appid. */
    static Transaction transaction(
            com.wechat.pay.java.service.partnerpayments.jsapi.model.Transaction partner) {
        Transaction direct = new Transaction();
        direct.setAppid(partner.getSpAppid());
        direct.setMchid(partner.getSpMchid());
        direct.setAttach(partner.getAttach());
        direct.setBankType(partner.getBankType());
        direct.setOutTradeNo(partner.getOutTradeNo());
        direct.setSuccessTime(partner.getSuccessTime());
        direct.setTradeStateDesc(partner.getTradeStateDesc());
        direct.setTransactionId(partner.getTransactionId());
        if (partner.getTradeState() != null) {
            // ACCEPT (accepted, debit pending) exists only for partners: still being paid.
            String state = partner.getTradeState().name();
            direct.setTradeState(
                    Transaction.TradeStateEnum.valueOf(
                            state.equals("ACCEPT") ? "USERPAYING" : state));
        }
        if (partner.getTradeType() != null) {
            direct.setTradeType(Transaction.TradeTypeEnum.valueOf(partner.getTradeType().name()));
        }
        TransactionAmount amount = partner.getAmount();
        if (amount != null) {
            com.wechat.pay.java.service.payments.model.TransactionAmount a =
                    new com.wechat.pay.java.service.payments.model.TransactionAmount();
            a.setTotal(amount.getTotal());
            a.setPayerTotal(amount.getPayerTotal());
            a.setCurrency(amount.getCurrency());
            a.setPayerCurrency(amount.getPayerCurrency());
            direct.setAmount(a);
        }
        TransactionPayer payer = partner.getPayer();
        if (payer != null) {
            com.wechat.pay.java.service.payments.model.TransactionPayer p =
                    new com.wechat.pay.java.service.payments.model.TransactionPayer();
            p.setOpenid(payer.getSubOpenid() != null ? payer.getSubOpenid() : payer.getSpOpenid());
            direct.setPayer(p);
        }
        return direct;
    }
}

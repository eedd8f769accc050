package io.scanorder.order.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.scanorder.order.state.ActorNotAllowedException;
import io.scanorder.order.state.AmountOutOfRangeException;
import io.scanorder.order.state.ConcurrentChangeException;
import io.scanorder.order.state.IllegalTransitionException;
import io.scanorder.order.state.OrderNotFoundException;
import io.scanorder.order.state.OrderRuleException;
import io.scanorder.order.state.OrderState;
import org.junit.jupiter.api.Test;

/** Domain errors map to the status codes the OrderService contract documents. */
class GrpcErrorsTest {

    @Test
    void eachDomainErrorHasItsStatusCodeAndKeepsItsMessage() {
        assertCode(
                new IllegalArgumentException("order_id must be a UUID"),
                Status.Code.INVALID_ARGUMENT);
        assertCode(new OrderNotFoundException("order x does not exist"), Status.Code.NOT_FOUND);
        assertCode(
                new IllegalTransitionException("x", OrderState.SERVED, OrderState.REFUNDING, "no"),
                Status.Code.FAILED_PRECONDITION);
        assertCode(
                new ActorNotAllowedException("x", OrderState.PAID, OrderState.ACCEPTED, "staff"),
                Status.Code.PERMISSION_DENIED);
        assertCode(new OrderRuleException("already declined"), Status.Code.FAILED_PRECONDITION);
        assertCode(new AmountOutOfRangeException("too much"), Status.Code.OUT_OF_RANGE);
        assertCode(new ConcurrentChangeException("order x changed"), Status.Code.ABORTED);
    }

    @Test
    void unexpectedErrorsAreInternalWithoutLeakingDetails() {
        var status = GrpcErrors.toStatus(new NullPointerException("secret")).getStatus();
        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getDescription()).doesNotContain("secret");
    }

    private static void assertCode(RuntimeException e, Status.Code code) {
        var status = GrpcErrors.toStatus(e).getStatus();
        assertThat(status.getCode()).isEqualTo(code);
        assertThat(status.getDescription()).isEqualTo(e.getMessage());
    }
}

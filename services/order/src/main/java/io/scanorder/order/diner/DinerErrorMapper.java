package io.scanorder.order.diner;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns refused diner requests into JSON {@code {"reason", "message"}} with their status. */
public class DinerErrorMapper {

    /** The JSON body of a refusal. */
    public record ErrorBody(String reason, String message) {}

    @ServerExceptionMapper
    public Response map(DinerApiException e) {
        Response.ResponseBuilder response =
                Response.status(e.status())
                        .type(MediaType.APPLICATION_JSON)
                        .entity(new ErrorBody(e.reason(), e.getMessage()));
        if (e.retryAfterSeconds() > 0) {
            response.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        return response.build();
    }
}

package io.scanorder.order.table;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns refused table codes into JSON errors with the reason code and its HTTP status. */
public class TableCodeErrorMapper {

    /** The JSON body of a refusal. */
    public record ErrorBody(String reason, String message) {}

    @ServerExceptionMapper
    public Response map(TableCodeException e) {
        return Response.status(e.reason().httpStatus())
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(e.reason().name(), e.getMessage()))
                .build();
    }
}

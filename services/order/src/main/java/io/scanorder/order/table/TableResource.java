package io.scanorder.order.table;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Diner API: what the mini-program calls with the {@code scene} of a scanned table QR code.
 * Refusals are JSON {@code {"reason": ..., "message": ...}} (see {@link TableCodeErrorMapper}).
 */
@Path("/api/v1/tables")
public class TableResource {
    private final TableRegistry registry;

    public TableResource(TableRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Path("{scene}")
    @Produces(MediaType.APPLICATION_JSON)
    public TableInfo lookup(@PathParam("scene") String scene) {
        return registry.resolve(scene);
    }
}

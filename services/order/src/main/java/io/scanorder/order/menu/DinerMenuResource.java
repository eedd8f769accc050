package io.scanorder.order.menu;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Diner REST API: the menu in force for a store. The ETag is the revision hash, so the mini-program
 * revalidates with If-None-Match and gets 304 until a new menu is published.
 */
@Path("/api/v1/stores/{storeCode}/menu")
public class DinerMenuResource {
    private final MenuService menus;

    public DinerMenuResource(MenuService menus) {
        this.menus = menus;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response menu(@PathParam("storeCode") String storeCode, @Context Request request) {
        StoredMenu stored;
        try {
            stored = menus.current(storeCode);
        } catch (InvalidMenuException e) {
            return error(Response.Status.BAD_REQUEST, "INVALID_ARGUMENT", e.getMessage());
        } catch (MenuNotFoundException e) {
            return error(Response.Status.NOT_FOUND, "NOT_FOUND", e.getMessage());
        }
        EntityTag tag = new EntityTag(stored.revisionHash());
        CacheControl cache = new CacheControl();
        // Diners may keep it but must revalidate: sold-out flags change with a new revision.
        cache.setNoCache(true);
        Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
        if (notModified != null) {
            return notModified.cacheControl(cache).tag(tag).build();
        }
        return Response.ok(DinerMenuView.of(stored)).tag(tag).cacheControl(cache).build();
    }

    private static Response error(Response.Status status, String code, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("code", code, "message", message))
                .build();
    }
}

package io.scanorder.order.table;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Staff API: printable QR sheets of a store's enabled tables, optionally for one area, with plain
 * QR codes or WeChat mini-program codes ({@link WxaCodes}).
 */
@Path("/api/v1/stores/{storeCode}")
public class QrSheetResource {
    private final TableRegistry registry;
    private final WxaCodes codes;

    public QrSheetResource(TableRegistry registry, WxaCodes codes) {
        this.registry = registry;
        this.codes = codes;
    }

    @GET
    @Path("qr-sheet.pdf")
    @Produces("application/pdf")
    public Response pdf(@PathParam("storeCode") String storeCode, @QueryParam("area") String area) {
        QrSheet sheet = registry.sheet(storeCode, area);
        return download(
                QrSheetRenderer.pdf(sheet, codes.imagesFor(sheet)),
                fileName(storeCode, area, "pdf"));
    }

    @GET
    @Path("qr-sheet.png")
    @Produces("image/png")
    public Response png(@PathParam("storeCode") String storeCode, @QueryParam("area") String area) {
        QrSheet sheet = registry.sheet(storeCode, area);
        return download(
                QrSheetRenderer.png(sheet, codes.imagesFor(sheet)),
                fileName(storeCode, area, "png"));
    }

    /** A sheet whose mini-program codes WeChat refused: 502, WeChat being the upstream. */
    @ServerExceptionMapper
    public Response wxaCodeFailed(WxaCodeException e) {
        return Response.status(Response.Status.BAD_GATEWAY)
                .type(MediaType.APPLICATION_JSON)
                .entity(new TableCodeErrorMapper.ErrorBody("WXACODE_FAILED", e.getMessage()))
                .build();
    }

    private static Response download(byte[] body, String fileName) {
        return Response.ok(body)
                .header("Content-Disposition", "inline; filename=\"" + fileName + "\"")
                .build();
    }

    private static String fileName(String storeCode, String area, String extension) {
        // Only codes that resolved to a sheet get here, so they are digits.
        return "store-" + storeCode + (area == null ? "" : "-area-" + area) + "-qr." + extension;
    }
}

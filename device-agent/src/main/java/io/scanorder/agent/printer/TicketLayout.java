package io.scanorder.agent.printer;

import io.scanorder.agent.ticket.KitchenTicket;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays a kitchen ticket out in lines for one paper width: the table in large bold letters, order
 * number and station, store and time, then every dish with its quantity right-aligned and its spec
 * and notes indented below, then the ticket id and copy number. Long texts wrap, counting Chinese
 * characters as two columns, so the quantity column stays aligned.
 */
public final class TicketLayout {

    /** How a line is printed. */
    public enum Style {
        NORMAL,
        BOLD,
        /** Double width and height, bold: readable across the kitchen. */
        LARGE
    }

    /** One line of the ticket. */
    public record PrintLine(String text, Style style) {}

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private final PaperWidth width;
    private final ZoneId zone;

    public TicketLayout(PaperWidth width, ZoneId zone) {
        this.width = width;
        this.zone = zone;
    }

    public PaperWidth width() {
        return width;
    }

    /** The same layout for another paper width. */
    public TicketLayout withWidth(PaperWidth other) {
        return new TicketLayout(other, zone);
    }

    /** The lines of copy {@code copy} (1-based) of {@code ticket}. */
    public List<PrintLine> layout(KitchenTicket ticket, int copy) {
        int cols = width.columns();
        List<PrintLine> out = new ArrayList<>();
        out.add(new PrintLine("=".repeat(cols), Style.NORMAL));
        // double width: half as many characters fit
        for (String piece : TextColumns.wrap(text("Table " + ticket.table()), cols / 2)) {
            out.add(new PrintLine(piece, Style.LARGE));
        }
        rightAligned(
                out,
                "#" + text(ticket.orderNo()),
                text(ticket.station()).toUpperCase(Locale.ROOT),
                Style.BOLD);
        rightAligned(
                out,
                "Store " + ticket.storeCode(),
                TIME.format(ticket.createdAt().atZone(zone)),
                Style.NORMAL);
        out.add(new PrintLine("-".repeat(cols), Style.NORMAL));
        for (KitchenTicket.Line line : ticket.lines()) {
            rightAligned(out, text(line.name()), "x" + line.qty(), Style.BOLD);
            if (!line.spec().isEmpty()) {
                indented(out, "  ", text(line.spec()));
            }
            if (!line.notes().isEmpty()) {
                indented(out, "  * ", text(line.notes()));
            }
        }
        out.add(new PrintLine("-".repeat(cols), Style.NORMAL));
        String copies = ticket.copies() > 1 ? "copy " + copy + "/" + ticket.copies() : "";
        rightAligned(out, text(ticket.ticketId()), copies, Style.NORMAL);
        return out;
    }

    /** {@code left} wrapped in front of {@code right}, which sits at the end of the first line. */
    private void rightAligned(List<PrintLine> out, String left, String right, Style style) {
        int cols = width.columns();
        int room = cols - TextColumns.width(right) - 1;
        List<String> pieces = TextColumns.wrap(left, room);
        out.add(
                new PrintLine(
                        TextColumns.leftRight(pieces.get(0), right, cols).stripTrailing(), style));
        for (String piece : pieces.subList(1, pieces.size())) {
            out.add(new PrintLine(piece, style));
        }
    }

    private void indented(List<PrintLine> out, String prefix, String text) {
        String indent = " ".repeat(prefix.length());
        List<String> pieces = TextColumns.wrap(text, width.columns() - prefix.length());
        for (int i = 0; i < pieces.size(); i++) {
            out.add(new PrintLine((i == 0 ? prefix : indent) + pieces.get(i), Style.NORMAL));
        }
    }

    private static String text(String s) {
        return TextColumns.printable(s).strip();
    }
}

package io.scanorder.agent.kds;

import io.scanorder.agent.ticket.KitchenTicket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tickets on a kitchen display, in arrival order, each with its {@link KdsStatus}. */
public final class KdsBoard {

    /** One ticket as the screen shows it. */
    public record Card(KitchenTicket ticket, KdsStatus status) {}

    /** The result of one bump. */
    public record Bump(String ticketId, KdsStatus from, KdsStatus to) {}

    private final Map<String, Card> cards = new LinkedHashMap<>();

    /** Puts a ticket on the screen; false if it is already there. */
    public synchronized boolean add(KitchenTicket ticket) {
        if (cards.containsKey(ticket.ticketId())) {
            return false;
        }
        cards.put(ticket.ticketId(), new Card(ticket, KdsStatus.DISPLAYED));
        return true;
    }

    /**
     * Moves a ticket one step (DISPLAYED to COOKING, COOKING to READY); a READY ticket leaves the
     * screen.
     *
     * @return empty if the ticket is not on the screen
     */
    public synchronized Optional<Bump> bump(String ticketId) {
        Card card = cards.get(ticketId);
        if (card == null) {
            return Optional.empty();
        }
        KdsStatus next = card.status().next();
        if (next == KdsStatus.READY) {
            cards.remove(ticketId);
        } else {
            cards.put(ticketId, new Card(card.ticket(), next));
        }
        return Optional.of(new Bump(ticketId, card.status(), next));
    }

    public synchronized boolean contains(String ticketId) {
        return cards.containsKey(ticketId);
    }

    /** The screen's tickets, oldest first. */
    public synchronized List<Card> cards() {
        return new ArrayList<>(cards.values());
    }
}

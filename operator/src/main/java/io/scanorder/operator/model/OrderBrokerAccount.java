package io.scanorder.operator.model;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.scanorder.crds.v1alpha1.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Desired state of the broker service account a store's order service dispatches kitchen tickets
 * with: the Secret the order Deployment reads ({@code username}, {@code password}) and the broker's
 * Secret holding only the hash, as one {@code username:service:-:pbkdf2-sha256$...} line of the
 * broker's credential file format. Both are owned by the Store. The password is generated once and
 * kept while its Secret exists; the hash is made by {@link DeviceCredentials#hash}.
 */
public final class OrderBrokerAccount {
    /** Component label of both Secrets. */
    static final String COMPONENT = "order-broker";

    /** Longest store-name part of a username, leaving room for the prefix and the suffix. */
    private static final int NAME_PART = 40;

    private OrderBrokerAccount() {}

    /** Both Secrets as they should be now. */
    public record Desired(Secret account, Secret brokerHash) {}

    /**
     * The broker service account name of the store's order service: {@code order-<store>-<8 hex>},
     * the suffix from the namespace and name, because the broker reads the Secrets of every
     * namespace into one user list and two brands may each have a store of the same name. Matches
     * the broker's service account names ({@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}).
     */
    public static String username(Store store) {
        String name = store.getMetadata().getName().toLowerCase(Locale.ROOT).replace('.', '-');
        if (name.length() > NAME_PART) {
            name = name.substring(0, NAME_PART);
        }
        String qualified = store.getMetadata().getNamespace() + "/" + store.getMetadata().getName();
        return "order-" + name + "-" + sha256Hex(qualified).substring(0, 8);
    }

    /** The start of the broker line for {@code username}; the password hash follows it. */
    public static String brokerLinePrefix(String username) {
        return username + ":service:-:";
    }

    /**
     * The Secrets the store's order service account needs, checking an existing line with {@link
     * DeviceCredentials#matches}.
     *
     * @param existingAccount the account Secret as it is now, or null: its password is kept
     * @param existingLine the broker Secret's credential line now, or null: kept while it names
     *     this account and verifies its password, otherwise replaced by a fresh hash
     */
    public static Desired desired(
            Store store, Secret existingAccount, String existingLine, SecureRandom random) {
        return desired(store, existingAccount, existingLine, random, DeviceCredentials::matches);
    }

    /**
     * As {@link #desired(Store, Secret, String, SecureRandom)}, verifying with {@code verifies}
     * (encoded hash, password): PBKDF2 is slow on purpose, so a caller may remember lines it has
     * verified already.
     */
    public static Desired desired(
            Store store,
            Secret existingAccount,
            String existingLine,
            SecureRandom random,
            BiPredicate<String, String> verifies) {
        String username = username(store);
        String password =
                password(existingAccount).orElseGet(() -> DeviceCredentials.newPassword(random));
        String prefix = brokerLinePrefix(username);
        String line =
                existingLine != null
                                && existingLine.startsWith(prefix)
                                && verifies.test(existingLine.substring(prefix.length()), password)
                        ? existingLine
                        : prefix + DeviceCredentials.hash(password, random);
        Map<String, String> account = new LinkedHashMap<>();
        account.put(DeviceCredentials.USERNAME, username);
        account.put(DeviceCredentials.PASSWORD, password);
        Map<String, String> brokerLabels = StoreNames.labels(store, COMPONENT);
        brokerLabels.put(DeviceCredentials.BROKER_LABEL, "true");
        return new Desired(
                secret(
                        store,
                        StoreNames.orderBrokerSecretName(store),
                        StoreNames.labels(store, COMPONENT),
                        account),
                secret(
                        store,
                        StoreNames.orderBrokerHashSecretName(store),
                        brokerLabels,
                        Map.of(DeviceCredentials.BROKER_KEY, line + "\n")));
    }

    /** The password an earlier pass stored in the account Secret, if there is one. */
    public static Optional<String> password(Secret account) {
        if (account == null
                || account.getData() == null
                || account.getData().get(DeviceCredentials.PASSWORD) == null) {
            return Optional.empty();
        }
        String password =
                DeviceCredentials.decode(account.getData().get(DeviceCredentials.PASSWORD));
        return password.isBlank() ? Optional.empty() : Optional.of(password);
    }

    private static Secret secret(
            Store store, String name, Map<String, String> labels, Map<String, String> clear) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(store.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(DeviceCredentials.owner(store))
                .endMetadata()
                .withType("Opaque")
                .withData(DeviceCredentials.encode(clear))
                .build();
    }

    /**
     * A digest of a verified (hash, password) pair, so a caller can remember the verification
     * without keeping the password itself.
     */
    public static String fingerprint(String encodedHash, String password) {
        return sha256Hex(encodedHash + "\n" + password);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}

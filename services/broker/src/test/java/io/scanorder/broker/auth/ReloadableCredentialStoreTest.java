package io.scanorder.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanorder.broker.auth.ReloadableCredentialStore.Changes;
import io.scanorder.broker.topic.Principal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReloadableCredentialStoreTest {

    private static final PasswordHash HASH_1 = PasswordHash.create("one".toCharArray(), 1_000);
    private static final PasswordHash HASH_2 = PasswordHash.create("two".toCharArray(), 1_000);
    private static final Principal A = Principal.device("001", "A");
    private static final Principal B = Principal.device("001", "B");

    @Test
    void replacingReportsAddedAndRemovedUsers() {
        ReloadableCredentialStore store =
                new ReloadableCredentialStore(List.of(new Credential(A, HASH_1)));

        Changes changes = store.replaceAll(List.of(new Credential(B, HASH_1)));

        assertThat(changes.added()).containsExactly(B);
        assertThat(changes.revoked()).containsExactly(A);
        assertThat(store.find("A")).isEmpty();
        assertThat(store.find("B")).isPresent();
    }

    @Test
    void newPasswordOrMovedStoreRevokesTheOldCredential() {
        ReloadableCredentialStore store =
                new ReloadableCredentialStore(
                        List.of(new Credential(A, HASH_1), new Credential(B, HASH_1)));

        Changes changes =
                store.replaceAll(
                        List.of(
                                new Credential(A, HASH_2),
                                new Credential(Principal.device("002", "B"), HASH_1)));

        assertThat(changes.added()).isEmpty();
        assertThat(changes.revoked()).containsExactlyInAnyOrder(A, B);
        assertThat(store.find("B").orElseThrow().principal().storeCode()).isEqualTo("002");
    }

    @Test
    void identicalContentChangesNothing() {
        ReloadableCredentialStore store =
                new ReloadableCredentialStore(List.of(new Credential(A, HASH_1)));

        assertThat(store.replaceAll(List.of(new Credential(A, HASH_1))).isEmpty()).isTrue();
    }
}

package io.tandem.identity.service;

import io.tandem.identity.client.GitlabServiceAccountsClient.PersonalAccessToken;
import io.tandem.identity.repository.ServiceAccountEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Seals a service account's GitLab token into its row and opens it again; the row never holds it in the clear. */
@ApplicationScoped
public class ServiceAccountTokens {

    private final SecretBox box;

    public ServiceAccountTokens(SecretBox box) {
        this.box = box;
    }

    /** Puts the token (sealed), its GitLab id, expiry and digest into {@code account}. */
    public ServiceAccountEntity store(ServiceAccountEntity account, PersonalAccessToken token) {
        SecretBox.Sealed sealed = box.seal(token.token(), context(account.userId));
        account.tokenCiphertext = sealed.ciphertext();
        account.tokenKeyId = sealed.keyId();
        account.tokenExpiresAt = token.expiresAt();
        account.tokenId = token.id();
        account.tokenDigest = digest(token.token());
        return account;
    }

    public String open(ServiceAccountEntity account) {
        return box.openString(new SecretBox.Sealed(account.tokenKeyId, account.tokenCiphertext), context(account.userId));
    }

    /** SHA-256, hex: finds a token's row without opening every row; a digest of a random token reveals nothing. */
    public static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String context(long userId) {
        return "service_account.token:" + userId;
    }
}

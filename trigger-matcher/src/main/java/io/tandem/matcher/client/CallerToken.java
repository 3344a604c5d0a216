package io.tandem.matcher.client;

/**
 * The GitLab token a caller of the admin API sent, and how: GitLab accepts personal access tokens in
 * {@code PRIVATE-TOKEN} and OAuth or personal tokens as {@code Authorization: Bearer}, so it is passed on the
 * way it came. {@link #toString()} never shows the token.
 */
public record CallerToken(String value, boolean bearer) {

    /** The token from the request headers, or null if there is none. */
    public static CallerToken from(String privateToken, String authorization) {
        if (privateToken != null && !privateToken.isBlank()) {
            return new CallerToken(privateToken.strip(), false);
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).strip();
            return token.isEmpty() ? null : new CallerToken(token, true);
        }
        return null;
    }

    @Override
    public String toString() {
        return "CallerToken[" + (bearer ? "bearer" : "private-token") + "]";
    }
}

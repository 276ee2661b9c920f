package io.triaready.checks.support;

import java.util.function.Function;

import io.triaready.spi.Endpoint;
import io.triaready.spi.ProbeContext;
import io.triaready.spi.ProbeException;

/**
 * How a probe logs in to a server named by an endpoint (sql, redis): the endpoint's url, parsed, and
 * the user and password its settings give, else those in the url. From then on the password is a
 * secret of the run, masked wherever it would appear.
 */
public record EndpointLogin<U>(U url, String user, String password) {
    /**
     * @param parse reads the url; its {@link IllegalArgumentException} becomes a {@link ProbeException} naming the endpoint
     * @param urlUser the user written in the url, or null
     * @param urlPassword the password written in the url, or null
     */
    public static <U> EndpointLogin<U> of(ProbeContext ctx, Endpoint ep, Function<String, U> parse, Function<U, String> urlUser,
                                          Function<U, String> urlPassword) throws ProbeException {
        U url;
        try {
            url = parse.apply(ep.url());
        } catch (IllegalArgumentException e) {
            throw new ProbeException("the " + ep.name() + " endpoint's url: " + e.getMessage());
        }
        String user = ep.string("user") != null ? ep.string("user") : urlUser.apply(url);
        String password = ep.string("password") != null ? ep.string("password") : urlPassword.apply(url);
        if (password != null) ctx.secrets().add(password);
        return new EndpointLogin<>(url, user, password);
    }
}

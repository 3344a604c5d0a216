package io.tandem.sim.rest;

import io.tandem.sim.service.ApiParams;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** GitLab's offset pagination: {@code page}/{@code per_page} and the X-* and Link headers. */
final class Paging {

    private static final int DEFAULT_PER_PAGE = 20;
    private static final int MAX_PER_PAGE = 100;

    private Paging() {
    }

    static <T> Response page(List<T> items, Function<T, Object> view, UriInfo uri) {
        ApiParams params = Requests.query(uri);
        int perPage = params.intValue("per_page", DEFAULT_PER_PAGE);
        if (perPage < 1) {
            perPage = DEFAULT_PER_PAGE;
        }
        perPage = Math.min(perPage, MAX_PER_PAGE);
        int page = Math.max(1, params.intValue("page", 1));
        int total = items.size();
        int totalPages = Math.max(1, (total + perPage - 1) / perPage);
        List<Object> body = new ArrayList<>();
        for (int i = (page - 1) * perPage; i < Math.min(total, page * perPage); i++) {
            body.add(view.apply(items.get(i)));
        }
        Response.ResponseBuilder response = Response.ok(body)
                .header("X-Page", page)
                .header("X-Per-Page", perPage)
                .header("X-Total", total)
                .header("X-Total-Pages", totalPages)
                .header("X-Next-Page", page < totalPages ? String.valueOf(page + 1) : "")
                .header("X-Prev-Page", page > 1 ? String.valueOf(page - 1) : "");
        List<String> links = new ArrayList<>();
        if (page > 1) {
            links.add(link(uri, page - 1, perPage, "prev"));
        }
        if (page < totalPages) {
            links.add(link(uri, page + 1, perPage, "next"));
        }
        links.add(link(uri, 1, perPage, "first"));
        links.add(link(uri, totalPages, perPage, "last"));
        return response.header("Link", String.join(", ", links)).build();
    }

    private static String link(UriInfo uri, int page, int perPage, String rel) {
        return "<" + uri.getRequestUriBuilder().replaceQueryParam("page", page).replaceQueryParam("per_page", perPage)
                .build() + ">; rel=\"" + rel + "\"";
    }
}

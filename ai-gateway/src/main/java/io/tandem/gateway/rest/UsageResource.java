package io.tandem.gateway.rest;

import io.smallrye.mutiny.Uni;
import io.tandem.gateway.service.UsageReport;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Tokens used by one project, group or user: {@code /internal/v1/usage?projectId=|groupId=|userId=&from=&to=}
 * (UTC days, both included, today when left out). Behind {@code X-Tandem-Internal-Token}.
 */
@Path("/internal/v1/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    private static final int MAX_DAYS = 366;

    private final UsageReport report;

    public UsageResource(UsageReport report) {
        this.report = report;
    }

    @GET
    public Uni<UsageReport.Report> usage(@QueryParam("projectId") Long projectId, @QueryParam("groupId") Long groupId,
            @QueryParam("userId") Long userId, @QueryParam("from") String from, @QueryParam("to") String to) {
        int given = (projectId != null ? 1 : 0) + (groupId != null ? 1 : 0) + (userId != null ? 1 : 0);
        if (given != 1) {
            throw badRequest("exactly one of projectId, groupId and userId is required");
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate first = day(from, "from", today);
        LocalDate last = day(to, "to", today);
        if (last.isBefore(first) || first.plusDays(MAX_DAYS).isBefore(last)) {
            throw badRequest("to must be on or after from, and at most " + MAX_DAYS + " days later");
        }
        String scope = projectId != null ? "project" : groupId != null ? "group" : "user";
        long id = projectId != null ? projectId : groupId != null ? groupId : userId;
        return report.report(scope, id, first, last);
    }

    private static LocalDate day(String value, String name, LocalDate otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw badRequest(name + " must be a day, such as 2026-11-26");
        }
    }

    private static BadRequestException badRequest(String message) {
        return new BadRequestException(ModelAllowListResource.answer(Response.Status.BAD_REQUEST, message));
    }
}

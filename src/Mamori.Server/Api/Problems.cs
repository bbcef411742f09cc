using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Mamori.Server.Api;

/// <summary>RFC 7807 problem documents, each naming the offending field when there is one.</summary>
internal static class Problems
{
    /// <summary>400 with the field (a JSON path below the body, e.g. <c>secret_fp</c> or <c>[3].ip</c>) and why.</summary>
    public static ValidationProblem Invalid(string field, string detail) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [detail] },
            detail: detail, title: "The request is invalid.",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    /// <summary>413: the body is over the endpoint's limit.</summary>
    public static ProblemHttpResult TooLarge(int limit) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large.",
            detail: $"This endpoint accepts bodies up to {limit:N0} bytes.");

    /// <summary>415: not JSON.</summary>
    public static ProblemHttpResult NotJson() =>
        TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The request body must be JSON.",
            detail: "Send Content-Type: application/json.");

    /// <summary>404 for an unknown or expired request id.</summary>
    public static ProblemHttpResult UnknownRequest(string field) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status404NotFound, Title = "Unknown request id.",
            Detail = "No assessment awaits this request id: it was never issued, already completed, or expired.",
            Extensions = { ["field"] = field, ["errors"] = new Dictionary<string, string[]> { [field] = ["Unknown or expired request id."] } },
        });

    /// <summary>404 for a missing resource.</summary>
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} was not found.");
}

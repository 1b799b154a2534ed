using System.Diagnostics;
using CamaraQos.Controller.Camara;

namespace CamaraQos.Controller.Observability;

/// <summary>
/// Log scopes that tie a line to its cause: each request's <c>x-correlator</c> and API client, each agent
/// message's agent. With <c>Logging:Console:FormatterOptions:IncludeScopes</c> (on by default here) they
/// appear on every line written inside, beside the trace and span ids ASP.NET Core adds.
/// </summary>
public static class LogScopes
{
    private static readonly Func<ILogger, string?, string?, IDisposable?> Request =
        LoggerMessage.DefineScope<string?, string?>("x-correlator {Correlator}, client {ClientId}");

    private static readonly Func<ILogger, string, IDisposable?> Agent =
        LoggerMessage.DefineScope<string>("agent {AgentId}");

    /// <summary>After authentication, so the client is known; also marks the request's span with the correlator.</summary>
    public static async Task RequestMiddleware(HttpContext context, RequestDelegate next)
    {
        var correlator = Correlator.Of(context);
        if (correlator is not null)
        {
            ControllerActivity.SetCorrelator(Activity.Current, correlator);
        }
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CamaraQos.Controller.Requests");
        using (Request(logger, correlator, Caller.ClientIdOf(context.User)))
        {
            await next(context);
        }
    }

    public static IDisposable? ForAgent(ILogger logger, string agentId) => Agent(logger, agentId);
}

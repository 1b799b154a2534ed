using System.Collections.Concurrent;
using CamaraQos.Controller.OpenApi;
using Xunit;

namespace CamaraQos.Controller.Tests.Contract;

/// <summary>One response the handler saw and what it found wrong (nothing, when it conforms).</summary>
public sealed record ContractEntry(string Method, string Path, int Status, string? SpecFile, string? Template, IReadOnlyList<string> Violations);

/// <summary>
/// Installed on a test client, it checks EVERY response against the spec of the API its path belongs
/// to (by base path, <see cref="CamaraApis"/>), and fails the request at once on a violation:
/// documented operations get <see cref="ContractCheck.Violations"/>; a method or path the spec does not
/// define must be a CAMARA ErrorInfo; any other path (OAuth, admin, OpenAPI) must at least never be
/// <c>application/problem+json</c>.
/// </summary>
public sealed class ContractRecordingHandler : DelegatingHandler
{
    private readonly ConcurrentQueue<ContractEntry> _entries;

    public ContractRecordingHandler(ConcurrentQueue<ContractEntry>? log = null) => _entries = log ?? new();

    public IReadOnlyCollection<ContractEntry> Entries => _entries;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var snapshot = await ResponseSnapshot.FromAsync(response);
        var entry = Check(request.Method.Method, request.RequestUri?.AbsolutePath ?? "/", snapshot);
        _entries.Enqueue(entry);
        if (entry.Violations.Count > 0)
        {
            Assert.Fail($"{entry.Method} {entry.Path} → {entry.Status} breaks the CAMARA contract" +
                (entry.SpecFile is null ? "" : $" ({entry.SpecFile} {entry.Template})") + ":\n  " + string.Join("\n  ", entry.Violations));
        }
        return response;
    }

    public static ContractEntry Check(string method, string path, ResponseSnapshot snapshot)
    {
        if (CamaraApis.ForPath(path) is not { } api)
        {
            var plain = snapshot.MediaType == "application/problem+json"
                ? new[] { "content type is application/problem+json." } : [];
            return new(method, path, snapshot.Status, null, null, plain);
        }
        var spec = CamaraSpec.Load(api.SpecFile);
        var template = spec.TemplateFor(path[api.BasePath.Length..]);
        var violations = template is not null && spec.Operation(method, template) is not null
            ? ContractCheck.Violations(api.SpecFile, method, template, snapshot)
            : ContractCheck.UndocumentedErrorViolations(snapshot);
        return new(method, path, snapshot.Status, api.SpecFile, template, violations);
    }
}

using Scalar.AspNetCore;

namespace CamaraQos.Controller.OpenApi;

/// <summary>
/// The CAMARA specs themselves are our OpenAPI documents (OpenAPI 3.0.3, the exact paths and schemas):
/// <c>/openapi/{name}.yaml</c> and <c>/openapi/{name}.json</c>, an index at <c>/openapi</c>, and a Scalar
/// UI at <c>/docs</c>. All anonymous: the documents are public CAMARA releases.
/// </summary>
public static class OpenApiSetup
{
    public const string RoutePrefix = "/openapi";

    public static WebApplicationBuilder AddCamaraOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SpecDocuments>();
        return builder;
    }

    public static WebApplication MapCamaraOpenApi(this WebApplication app)
    {
        var docs = app.Services.GetRequiredService<SpecDocuments>();
        app.MapGet(RoutePrefix, (HttpRequest request) => TypedResults.Json(
            CamaraApis.All.Select(a => new OpenApiIndexEntry(a.Name, docs.Title(a), ServerUrl(request, a),
                $"{RoutePrefix}/{a.Name}.yaml", $"{RoutePrefix}/{a.Name}.json")).ToList(),
            OpenApiJson.Default.ListOpenApiIndexEntry)).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(RoutePrefix + "/{file}", Serve).AllowAnonymous().ExcludeFromDescription();
        // Scalar makes a route pattern relative to its own page (/docs/openapi/...), so documents are
        // given as absolute URLs built from the request.
        app.MapScalarApiReference("/docs", (options, http) =>
        {
            options.WithTitle("CamaraQos: CAMARA APIs");
            var root = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{RoutePrefix}";
            foreach (var api in CamaraApis.All)
            {
                options.AddDocument(api.Name, docs.Title(api), $"{root}/{api.Name}.json", api == CamaraApis.All[0]);
            }
        }).AllowAnonymous();
        return app;
    }

    private static IResult Serve(string file, HttpRequest request, SpecDocuments docs)
    {
        var extension = Path.GetExtension(file);
        if (extension is not (".yaml" or ".json") || SpecDocuments.Find(Path.GetFileNameWithoutExtension(file)) is not { } api)
        {
            return Camara.CamaraError.NotFound($"No OpenAPI document '{Camara.ClientValue.Echo(file)}'; see {RoutePrefix} for the list.");
        }
        var server = ServerUrl(request, api);
        return extension == ".yaml"
            // RFC 9512 registers application/yaml.
            ? TypedResults.Text(docs.Yaml(api, server), "application/yaml; charset=utf-8")
            : TypedResults.Text(docs.Json(api, server).ToJsonString(), "application/json; charset=utf-8");
    }

    /// <summary>This controller's base URL plus the API's base path, as the request reached us.</summary>
    public static string ServerUrl(HttpRequest request, CamaraApi api) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}{api.BasePath}";
}

public sealed record OpenApiIndexEntry(string Name, string Title, string Server, string Yaml, string Json);

[System.Text.Json.Serialization.JsonSerializable(typeof(List<OpenApiIndexEntry>))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
public sealed partial class OpenApiJson : System.Text.Json.Serialization.JsonSerializerContext;

using System.Collections;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace CamaraQos.Controller.Observability;

/// <summary>
/// Every console format (simple, systemd, json) with the message and scopes escaped: values from clients
/// and agents (client ids, subscriber and agent ids, topics, paths) reach log lines through them, and a
/// CR or LF in one would print a forged line of its own (<c>fail: ...</c>). One place instead of each
/// LoggerMessage call; exceptions' stack traces are written as they are.
/// </summary>
public sealed class EscapingConsoleFormatter(ConsoleFormatter inner) : ConsoleFormatter(inner.Name), IDisposable
{
    /// <summary>Replaces each registered console formatter with its escaping wrapper, under the same name.</summary>
    public static void Register(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i] is { ServiceType: var service, ImplementationType: { } type } && service == typeof(ConsoleFormatter))
            {
                services[i] = ServiceDescriptor.Singleton<ConsoleFormatter>(sp =>
                    new EscapingConsoleFormatter((ConsoleFormatter)ActivatorUtilities.CreateInstance(sp, type)));
            }
        }
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var format = logEntry.Formatter;
        var escaped = new LogEntry<TState>(logEntry.LogLevel, logEntry.Category, logEntry.EventId, logEntry.State, logEntry.Exception,
            (state, error) => Escape(format(state, error)));
        inner.Write(in escaped, scopeProvider is null ? null : new EscapingScopes(scopeProvider), textWriter);
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();

    /// <summary>Control characters and Unicode line breaks as <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>\uXXXX</c>; everything else as it is.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(NeedsEscape))
        {
            return text ?? "";
        }
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                _ when NeedsEscape(c) => sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }
        return sb.ToString();
    }

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    private sealed class EscapingScopes(IExternalScopeProvider inner) : IExternalScopeProvider
    {
        public void ForEachScope<TState>(Action<object?, TState> callback, TState state) =>
            inner.ForEachScope((scope, s) => callback(scope is null ? null : new EscapedScope(scope), s), state);

        public IDisposable Push(object? state) => inner.Push(state);
    }

    /// <summary>A scope written as its escaped text; its properties stay available to the JSON format (which escapes them itself).</summary>
    private sealed class EscapedScope(object scope) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private IReadOnlyList<KeyValuePair<string, object?>> Items =>
            scope as IReadOnlyList<KeyValuePair<string, object?>> ?? (scope as IEnumerable<KeyValuePair<string, object?>>)?.ToList() ?? [];

        public KeyValuePair<string, object?> this[int index] => Items[index];

        public int Count => Items.Count;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Escape(scope.ToString());
    }
}

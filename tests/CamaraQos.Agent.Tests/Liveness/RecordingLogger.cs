using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Tests.Liveness;

/// <summary>Every log line (level, text, exception) of one logger, with a signal per line for tests to await.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    public ConcurrentQueue<(LogLevel Level, string Text, Exception? Error)> Lines { get; } = new();

    /// <summary>Waits (generously bounded) for the next line at or above <paramref name="level"/>.</summary>
    public async Task<(LogLevel Level, string Text, Exception? Error)> NextAsync(LogLevel level)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Xunit.TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var text = await _lines.Reader.ReadAsync(bound.Token);
            var line = Lines.First(l => l.Text == text);
            if (line.Level >= level)
            {
                return line;
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var text = formatter(state, exception);
        Lines.Enqueue((logLevel, text, exception));
        _lines.Writer.TryWrite(text);
    }
}

namespace CamaraQos.Lab.Tests;

/// <summary>Await a condition with a deadline (no fixed sleeps): polls briefly, fails naming what it waited for.</summary>
public static class Until
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, double timeoutSeconds = 30, int pollMs = 50)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeoutSeconds} s waiting for {what}.");
            }
            await Task.Delay(pollMs);
        }
    }
}

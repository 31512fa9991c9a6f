using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Tests.Runtime;

/// <summary>
/// Wraps the runtime's store (through <c>DecorateStore</c>) to count the calls to each method and make chosen calls fail,
/// as a store does while its database is down.
/// </summary>
public sealed class InterceptingStore
{
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentDictionary<string, Func<int, Exception?>> _faults = new();

    /// <summary>Gets how many times <paramref name="method"/> was called so far, failed calls included.</summary>
    public int Calls(string method) => _calls.GetValueOrDefault(method);

    /// <summary>Makes the <paramref name="number"/>th call (from 1) to <paramref name="method"/> fail with a store error.</summary>
    public InterceptingStore FailCall(string method, int number)
        => Fail(method, call => call == number ? new StoreDownException() : null);

    /// <summary>Makes every call to <paramref name="method"/> fail while <paramref name="down"/> is true.</summary>
    public InterceptingStore FailWhile(string method, Func<bool> down)
        => Fail(method, _ => down() ? new StoreDownException() : null);

    /// <summary>Makes calls to <paramref name="method"/> fail with what <paramref name="fault"/> returns for the call's number; null lets it through.</summary>
    public InterceptingStore Fail(string method, Func<int, Exception?> fault)
    {
        _faults[method] = fault;
        return this;
    }

    /// <summary>Wraps <paramref name="inner"/>; the signature of a <c>DecorateStore</c> callback.</summary>
    public IWorkflowStore Wrap(IWorkflowStore inner, IServiceProvider services)
    {
        var proxy = DispatchProxy.Create<IWorkflowStore, Proxy>();
        ((Proxy)(object)proxy).Init(inner, this);
        return proxy;
    }

    /// <summary>Counts the call and returns the exception it must fail with, if any.</summary>
    private Exception? Intercept(MethodInfo method)
    {
        var call = _calls.AddOrUpdate(method.Name, 1, static (_, n) => n + 1);
        return _faults.TryGetValue(method.Name, out var fault) ? fault(call) : null;
    }

    /// <summary>The error of a store whose database is unreachable.</summary>
    public sealed class StoreDownException() : IOException("The store is down.");

    /// <summary>The proxy behind <see cref="InterceptingStore"/>; public because <see cref="DispatchProxy"/> derives from it.</summary>
    public class Proxy : DispatchProxy
    {
        private IWorkflowStore? _inner;
        private InterceptingStore? _owner;

        internal void Init(IWorkflowStore inner, InterceptingStore owner) => (_inner, _owner) = (inner, owner);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (_owner!.Intercept(targetMethod) is { } error)
            {
                return Faulted(targetMethod.ReturnType, error);
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }
        }

        /// <summary>A failed call's result: faulted, as an awaited store call fails, rather than thrown by the call itself.</summary>
        private static object Faulted(Type returnType, Exception error)
        {
            if (returnType == typeof(ValueTask))
            {
                return ValueTask.FromException(error);
            }

            if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
            {
                return typeof(ValueTask).GetMethod(nameof(ValueTask.FromException), 1, [typeof(Exception)])!
                    .MakeGenericMethod(returnType.GetGenericArguments()[0])
                    .Invoke(null, [error])!;
            }

            throw error;
        }
    }
}

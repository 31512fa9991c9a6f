// The namespaces every integration works in: the core's step types, the shared mechanics, and the hosting abstractions
// (DI, options, logging) of every registration and step. Written once here rather than atop every file.
global using HyOpps.Integrations.Shared;
global using HyOpps.Workflows;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.DependencyInjection.Extensions;
global using Microsoft.Extensions.Logging;
global using Microsoft.Extensions.Options;

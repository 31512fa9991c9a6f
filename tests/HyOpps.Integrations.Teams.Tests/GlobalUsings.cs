global using HyOpps.Workflows;

global using HyOpps.TestUtilities.Postgres;

[assembly: AssemblyFixture(typeof(PostgresFixture))]

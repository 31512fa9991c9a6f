namespace HyOpps.Docs.Tests;

public sealed class ReadmeSnippetTests
{
    // HYOPPS_UPDATE_SNIPPETS=1 rewrites each README block from its source instead of failing (after editing a snippet).
    private static readonly bool Update = Environment.GetEnvironmentVariable("HYOPPS_UPDATE_SNIPPETS") == "1";

    [Fact]
    public void Readmes_EveryCSharpBlock_IsTheCompiledSourceItNames()
    {
        var root = RepositoryRoot();
        var readmes = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.GetDirectories(Path.Combine(root, "src")).Select(d => Path.Combine(d, "README.md")).Where(File.Exists).Order(StringComparer.Ordinal))
            .ToList();
        var problems = new List<string>();
        var checkedBlocks = 0;
        foreach (var readme in readmes)
        {
            var name = Path.GetRelativePath(root, readme);
            var markdown = ReadmeSnippets.Normalize(File.ReadAllText(readme));
            var updated = markdown;
            foreach (var block in ReadmeSnippets.FindBlocks(markdown).Reverse())
            {
                checkedBlocks++;
                if (block.Marker is null)
                {
                    problems.Add($"{name}:{block.Line}: a csharp block without '<!-- snippet: docs/snippets/File.cs#region -->' above it");
                    continue;
                }

                var (path, region) = block.Marker.Split('#') is [var p, var r] ? (p, r) : (block.Marker, (string?)null);
                var source = Path.Combine(root, path);
                string expected;
                try
                {
                    expected = ReadmeSnippets.Extract(File.ReadAllText(source), region);
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException)
                {
                    problems.Add($"{name}:{block.Line}: {block.Marker}: {ex.Message}");
                    continue;
                }

                if (expected != block.Text)
                {
                    problems.Add($"{name}:{block.Line}: the block differs from {block.Marker}, which reads:\n{expected}");
                    updated = updated[..block.Start] + expected + "\n" + updated[(block.Start + block.Length)..];
                }
            }

            if (Update && updated != markdown)
            {
                File.WriteAllText(readme, updated);
            }
        }

        Assert.True(checkedBlocks >= 10, $"only {checkedBlocks} csharp blocks found in {readmes.Count} READMEs");
        Assert.True(Update || problems.Count == 0,
            string.Join("\n\n", problems) + "\n\nEdit the source (compiled in docs/snippets), then run this test with HYOPPS_UPDATE_SNIPPETS=1.");
    }

    [Fact]
    public void Extract_NestedAndRepeatedRegions_JoinsDedentedPartsWithoutTheMarkers()
    {
        const string source = """
            #region usage
            #region other
            using HyOpps;
            #endregion
            using HyOpps.Integrations.Slack;
            #endregion
            namespace N;
            class C
            {
                void M()
                {
                    #region usage
                    services.AddHyOpps()
                        .AddSlack();
                    #endregion
                }
            }
            """;

        Assert.Equal("using HyOpps;\nusing HyOpps.Integrations.Slack;\n\nservices.AddHyOpps()\n    .AddSlack();", ReadmeSnippets.Extract(source, "usage"));
        Assert.Equal("using HyOpps;", ReadmeSnippets.Extract(source, "other"));
        Assert.Throws<InvalidOperationException>(() => ReadmeSnippets.Extract(source, "missing"));
    }

    [Fact]
    public void FindBlocks_MarkerAboveTheFence_IsTheBlocksMarker_OtherLanguagesIgnored()
    {
        const string markdown = "# T\n\n<!-- snippet: docs/snippets/A.cs#x -->\n```csharp\nvar a = 1;\n```\n\n```sh\nls\n```\n\n```csharp\nvar b = 2;\n```\n";

        var blocks = ReadmeSnippets.FindBlocks(markdown);

        Assert.Equal(2, blocks.Count);
        Assert.Equal(("docs/snippets/A.cs#x", "var a = 1;"), (blocks[0].Marker, blocks[0].Text));
        Assert.Equal("var a = 1;\n", markdown.Substring(blocks[0].Start, blocks[0].Length));
        Assert.Equal((null, "var b = 2;", 12), (blocks[1].Marker, blocks[1].Text, blocks[1].Line));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HyOpps.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return directory.FullName;
    }
}

using FakeFal;

await using var app = FakeFalApp.Create(args);
await app.RunAsync();

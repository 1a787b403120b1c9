// The migration tool (issue 4) replaces this.
Console.Error.WriteLine("safestream-migrate: not built yet");
return 2;

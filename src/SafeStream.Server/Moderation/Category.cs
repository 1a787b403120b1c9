namespace SafeStream.Server.Moderation;

internal enum Category
{
    Profanity,
    Insult,
    PutDown,
    Slur,
    Threat,
    Harassment,
    Benign,
}

namespace SafeStream.Server.Moderation;

/// <summary>
/// The built-in lexicon, one entry per line: <c>category weight pattern</c>. Written from general knowledge of chat
/// abuse, not from the labelled test set. Slurs are kept to a mild, abstract few on purpose; a deployment adds its
/// own list through <c>Moderation:ExtraLexiconPath</c> (same format).
/// </summary>
/// <remarks>
/// A pattern is one or more words (a phrase matches consecutive words); <c>a|b</c> are alternatives. How a word may
/// end: <c>word</c> exactly; <c>word+</c> plus an inflection (s, es, ed, er, ers, ing, y, ic, est, ish);
/// <c>word!</c> plus at most a plural s; <c>word*</c> any ending; <c>*word*</c> anywhere inside a word.
/// Matching is on normalised text, so patterns are plain lower-case letters and never list leetspeak or repeats.
/// Weights are the score of the word alone, untargeted; targeting (you, @name, a bare insult) raises insults,
/// a nearby negation lowers them, and several hits combine (see <see cref="LexiconScorer"/>).
/// </remarks>
internal static class BuiltInLexicon
{
    public const string Text = """
        # Strong profanity: blocked even when aimed at no one.
        profanity 0.65 *fuck*|*fvck*|*phuck*|fuk+|fuq+|fck*|fking|fkin|fkn|fcking|fk
        profanity 0.30 wtf|omfg|ffs
        # Milder profanity: allowed alone, counts towards the score.
        profanity 0.45 *shit*
        profanity 0.40 sht|shyt
        profanity 0.40 ass+
        profanity 0.35 arse+
        profanity 0.35 piss+
        profanity 0.35 bollocks
        profanity 0.25 crap+
        profanity 0.25 goddamn*
        profanity 0.15 damn+|dammit
        profanity 0.30 bugger+
        profanity 0.50 cock!
        # Insults (nouns): a bare one in chat is aimed at someone.
        insult 0.85 cunt*
        insult 0.70 bitch*|biatch+|btch+
        insult 0.75 whore+|slut*
        insult 0.45 hoe!
        insult 0.75 asshole*|arsehole*|ahole!
        insult 0.70 dumbass+|asshat+|asswipe+|fatass+
        insult 0.60 jackass+
        insult 0.40 smartass+
        insult 0.70 shithead+|dickhead+|dipshit+
        insult 0.85 cocksucker+|motherfucker+
        insult 0.65 bastard+
        insult 0.50 dick!|prick!
        insult 0.70 twat+
        insult 0.65 wanker+|wank+
        insult 0.50 tosser+|bellend+|knobhead+
        insult 0.55 douche*
        insult 0.65 scumbag+
        insult 0.55 scum+
        insult 0.50 dirtbag+|sleazebag+|sleaze+
        insult 0.62 idiot+|moron+|imbecile+
        insult 0.60 cretin+|lowlife+
        insult 0.55 dimwit+|halfwit+|numbskull+|numskull+
        insult 0.45 nitwit+|dunce+|dumbo+|buffoon+|bonehead+|meathead+|blockhead+|pinhead+
        insult 0.40 airhead+|nincompoop+|knucklehead+
        insult 0.50 ignoramus+|degenerate+|deadbeat+|parasite+|maggot+
        insult 0.55 vermin+
        insult 0.50 loser+
        insult 0.35 dummy|dummies|weirdo+|hypocrite+|coward+|oaf+
        insult 0.40 freak+|creep+|disgrace+
        insult 0.60 pervert+
        insult 0.55 perv!
        insult 0.50 incel!
        insult 0.35 pig!|clown!|simp!
        insult 0.25 noob+|newb+|scrub!|tryhard+|troll!
        # Put-downs (adjectives): only when aimed at the person addressed ("you are stupid", not "stupid lag").
        putdown 0.50 stupid+|pathetic
        putdown 0.45 dumb+|ugly|useless
        putdown 0.60 worthless|braindead
        putdown 0.55 brainless|talentless
        putdown 0.45 hideous|spineless|repulsive
        putdown 0.40 disgusting|ignorant|insufferable|gutless|vile
        putdown 0.35 obnoxious
        putdown 0.30 trash+|garbage|clueless|hopeless|annoying
        putdown 0.25 cringe+|lame+
        # Slurs and dehumanising words: never softened.
        slur 0.85 retard+
        slur 0.75 tard!
        slur 0.60 spaz+|spazz+
        slur 0.80 subhuman+|mongoloid+
        # Threats, wishes of harm, self-harm encouragement.
        threat 0.95 kys|kyfs|foad
        threat 0.95 kill+ yourself|urself|yoself|yaself|yourselves|yourslef
        threat 0.90 end|neck|hang yourself|urself|yoself
        threat 0.75 kill+|murder+ you|u|ya|yall
        threat 0.80 stab+ you|u|ya
        threat 0.60 hurt+ you|u|ya
        threat 0.55 shoot|punch+ you|u|ya
        threat 0.60 beat+ you|u|ya up
        threat 0.75 break+ your|ur neck|legs|face|skull
        threat 0.90 slit+ your|ur throat
        threat 0.85 find|know where you|u live|sleep
        threat 0.80 go die
        threat 0.90 hope you|u die+
        threat 0.85 you|u should die
        threat 0.90 die in a fire
        threat 0.75 drop dead
        threat 0.75 rot|burn in hell
        threat 0.85 get cancer|aids
        threat 0.85 rape+|raping|rapist+
        # Harassment: telling people to leave, be quiet, that nobody wants them.
        harassment 0.70 stfu
        harassment 0.65 gtfo
        harassment 0.45 shut up
        harassment 0.60 shut your|ur mouth|face|trap
        harassment 0.55 go to hell
        harassment 0.70 nobody|noone likes|wants you|u
        harassment 0.70 no one likes|wants you|u
        harassment 0.45 nobody|noone asked|cares
        harassment 0.45 no one asked|cares
        harassment 0.35 who asked
        harassment 0.40 get lost
        harassment 0.35 go away
        harassment 0.60 piss off
        harassment 0.45 bugger|sod off
        harassment 0.60 screw you|u
        harassment 0.60 suck my
        harassment 0.60 eat shit
        harassment 0.55 kiss my ass|arse
        harassment 0.60 you|u suck+
        harassment 0.65 hate+ you|u|yall
        harassment 0.60 you|u disgust me
        harassment 0.70 waste of space|oxygen|air|skin|life
        harassment 0.75 piece of shit|crap|garbage|trash
        harassment 0.70 back to the kitchen
        harassment 0.35 uninstall+
        harassment 0.35 learn to play
        # Benign words that would otherwise contain a hit.
        benign 0 shiitake|shitake|mishit+
        """;
}

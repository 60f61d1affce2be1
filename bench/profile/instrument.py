"""Wraps the intake phases in PhaseTimer calls (profiling only; bench/profile/apply.sh, then git checkout to undo)."""
import pathlib, sys
root = pathlib.Path(sys.argv[1])

def edit(path, pairs):
    p = root / path
    s = p.read_text()
    for old, new in pairs:
        if old not in s:
            sys.exit(f"instrument.py: not found in {path}: {old[:80]!r}")
        s = s.replace(old, new, 1)
    p.write_text(s)

edit("Worker/Intake/IntakeProcessor.cs", [
    ("var stored = await rawStore.SaveAsync(raw, cancellationToken);",
     "var stored = await PhaseTimer.Time(\"2 raw.save\", () => rawStore.SaveAsync(raw, cancellationToken));"),
    ("var messageId = ReadMessageId(stored);", "var messageId = PhaseTimer.Time(\"3 header.read\", () => ReadMessageId(stored));"),
    ("var result = mails.Record(new ReceivedMail(messageId, stored, source, time.GetUtcNow()), checkpoint);",
     "var result = PhaseTimer.Time(\"4 db.record\", () => mails.Record(new ReceivedMail(messageId, stored, source, time.GetUtcNow()), checkpoint));"),
    ("""            await using var stream = File.OpenRead(rawStore.FullPath(rawPath));
            message = MailParserOptions.Load(stream);""",
     """            await using var stream = File.OpenRead(rawStore.FullPath(rawPath));
            message = PhaseTimer.Time("5 mime.parse", () => MailParserOptions.Load(stream));"""),
    ("var parsed = MailReader.Read(message);", "var parsed = PhaseTimer.Time(\"6 mailreader.read\", () => MailReader.Read(message));"),
    ("var automatic = AutomaticMailDetector.Detect(message);", "var automatic = PhaseTimer.Time(\"6b automatic.detect\", () => AutomaticMailDetector.Detect(message));"),
    ("var match = ReplyMatcher.Match(parsed, matchContexts.Load());",
     "var context = PhaseTimer.Time(\"7 matchcontext.load\", () => matchContexts.Load());\n        var match = PhaseTimer.Time(\"7b match\", () => ReplyMatcher.Match(parsed, context));"),
    ("var evidence = await StoreEvidenceAsync(parsed, cancellationToken);",
     "var evidence = await PhaseTimer.Time(\"8 evidence.store\", () => StoreEvidenceAsync(parsed, cancellationToken));"),
    ("var notice = notices.Get(match.Reference!)", "var notice = PhaseTimer.Time(\"9a notice.get\", () => notices.Get(match.Reference!))"),
    ("""        replies.File(
            new ReplyFiling(""", """        PhaseTimer.Time("9 db.file-reply", () => replies.File(
            new ReplyFiling("""),
    ("""            evidence,
            time.GetUtcNow());
        LogFiled""", """            evidence,
            time.GetUtcNow()));
        LogFiled"""),
    ("receipts.QueueReceipt(notice, mailId, parsed.MessageId, parsed.IsMailingList);",
     "PhaseTimer.Time(\"10 receipt.queue\", () => receipts.QueueReceipt(notice, mailId, parsed.MessageId, parsed.IsMailingList));"),
    ("""            mails.Complete(mailId, new MailOutcome(kind, parsed.FromAddress, parsed.Subject, null, match.Reason), evidence, time.GetUtcNow());""",
     """            PhaseTimer.Time("9 db.complete", () => mails.Complete(mailId, new MailOutcome(kind, parsed.FromAddress, parsed.Subject, null, match.Reason), evidence, time.GetUtcNow()));"""),
])
edit("Worker/Intake/ImapMailboxSource.cs", [
    ("await using var stream = await folder.GetStreamAsync(uid, cancellationToken);",
     "var fetchStart = System.Diagnostics.Stopwatch.GetTimestamp();\n            await using var stream = await folder.GetStreamAsync(uid, cancellationToken);\n            PhaseTimer.Add(\"1 imap.fetch\", fetchStart);"),
    ("var uids = (await folder.SearchAsync(", "var uids = (await PhaseTimer.Time(\"0 imap.search\", () => folder.SearchAsync("),
    ("SearchQuery.Uids(range), cancellationToken))", "SearchQuery.Uids(range), cancellationToken)))"),
])
edit("Worker/Cli/RunCommands.cs", [
    ("var added = await runner.RunPassAsync(CancellationToken.None);", "var added = await PhaseTimer.Time(\"A pass\", () => runner.RunPassAsync(CancellationToken.None));"),
    ("var sent = await services.GetRequiredService<OutboxSender>().SendDueAsync(CancellationToken.None);",
     "var sent = await PhaseTimer.Time(\"B outbox.send\", () => services.GetRequiredService<OutboxSender>().SendDueAsync(CancellationToken.None));"),
])

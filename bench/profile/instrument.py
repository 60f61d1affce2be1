"""Wraps the intake phases in PhaseTimer calls (profiling only; bench/profile/apply.sh, then git checkout to undo).

Each phase lists the code it wraps as it reads before and after the group commit (issue 13), so the same script
instruments main's build and this one: for each phase the first form found is wrapped; a phase found in neither form
stops the script. The record and processing phases run on two tasks at once, so their totals overlap.
"""
import pathlib, sys
root = pathlib.Path(sys.argv[1])

def edit(path, phases):
    p = root / path
    s = p.read_text()
    for name, forms in phases:
        for old, new in forms:
            if old in s:
                s = s.replace(old, new, 1)
                break
        else:
            sys.exit(f"instrument.py: phase {name!r} not found in {path}")
    p.write_text(s)

T = "PhaseTimer.Time"
edit("Worker/Intake/IntakeProcessor.cs", [
    ("raw write", [
        ("var stored = await rawStore.SaveAsync(raw, cancellationToken);",
         f"var stored = await {T}(\"2 raw.save (write+fsync)\", () => rawStore.SaveAsync(raw, cancellationToken));"),
        ("var pending = await rawStore.WriteAsync(writeRaw, cancellationToken);",
         f"var pending = await {T}(\"2 raw.write\", () => rawStore.WriteAsync(writeRaw, cancellationToken));"),
    ]),
    ("raw commit", [
        ("var messageId = ReadMessageId(stored);", f"var messageId = {T}(\"3 header.read\", () => ReadMessageId(stored));"),
        ("stored = await rawStore.CommitAsync(group.Select(mail => mail.Raw).ToList(), cancellationToken);",
         f"stored = await {T}(\"3 raw.commit (group fsync)\", () => rawStore.CommitAsync(group.Select(mail => mail.Raw).ToList(), cancellationToken));"),
    ]),
    ("db record", [
        ("var result = mails.Record(new ReceivedMail(messageId, stored, source, time.GetUtcNow()) { BodySha256 = bodySha256 }, checkpoint);",
         f"var result = {T}(\"4 db.record\", () => mails.Record(new ReceivedMail(messageId, stored, source, time.GetUtcNow()) {{ BodySha256 = bodySha256 }}, checkpoint));"),
        ("var results = mails.Record(\n            group.Select((mail, i) => new ReceivedMail(mail.MessageId, stored[i], mail.Source, now) { BodySha256 = mail.BodySha256 }).ToList(),\n            checkpoint);",
         f"var results = {T}(\"4 db.record (group)\", () => mails.Record(\n            group.Select((mail, i) => new ReceivedMail(mail.MessageId, stored[i], mail.Source, now) {{ BodySha256 = mail.BodySha256 }}).ToList(),\n            checkpoint));"),
    ]),
    ("mime parse", [
        ("message = MailParserOptions.Load(stream);", f"message = {T}(\"5 mime.parse\", () => MailParserOptions.Load(stream));"),
        ("message = MailParserOptions.Load(stream, persistent: true);", f"message = {T}(\"5 mime.parse\", () => MailParserOptions.Load(stream, persistent: true));"),
    ]),
    ("read", [("var parsed = MailReader.Read(message);", f"var parsed = {T}(\"6 mailreader.read\", () => MailReader.Read(message));")]),
    ("match", [("var match = ReplyMatcher.Match(parsed, matchContexts.Load(parsed.ThreadIds));",
                f"var matchContext = {T}(\"7 matchcontext.load\", () => matchContexts.Load(parsed.ThreadIds));\n        var match = {T}(\"7b match\", () => ReplyMatcher.Match(parsed, matchContext));")]),
    ("evidence", [("var evidence = await StoreEvidenceAsync(parsed, cancellationToken);",
                   f"var evidence = await {T}(\"8 evidence.store\", () => StoreEvidenceAsync(parsed, cancellationToken));")]),
    ("file reply", [("var filed = await recordReply.ExecuteAsync(new RecordReplyCommand(mailId, match.Reference!, match.MatchedBy!.Value, parsed, evidence), cancellationToken);",
                     f"var filed = await {T}(\"9 file reply + receipt (one transaction)\", () => recordReply.ExecuteAsync(new RecordReplyCommand(mailId, match.Reference!, match.MatchedBy!.Value, parsed, evidence), cancellationToken));")]),
    # the lambda hides the null check above it from the compiler's flow analysis
    ("filed log", [("StoredCodes.Text(match.MatchedBy.Value)", "StoredCodes.Text(match.MatchedBy!.Value)")]),
])
edit("Worker/Cli/RunCommands.cs", [
    ("pass", [("var added = await runner.RunPassAsync(CancellationToken.None, maxRetries: OnceRetries, retryAll: true);",
               f"var added = await {T}(\"A pass\", () => runner.RunPassAsync(CancellationToken.None, maxRetries: OnceRetries, retryAll: true));")]),
    ("outbox", [("var sent = await services.GetRequiredService<OutboxSender>().SendDueAsync(CancellationToken.None);",
                 f"var sent = await {T}(\"B outbox.send\", () => services.GetRequiredService<OutboxSender>().SendDueAsync(CancellationToken.None));")]),
])

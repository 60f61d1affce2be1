using System.IO.Compression;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace MailIntake.Parsing;

/// <summary>
/// PdfPig's filters with a decompression budget. PdfPig inflates a stream wholly into memory, so
/// a Flate stream is first inflated into nothing, counting, and refused past the limit; other
/// filters are counted after decoding against the document's total.
/// </summary>
internal sealed class BoundedFilterProvider(IFilterProvider inner) : IFilterProvider
{
    private long _decodedTotal;

    public IReadOnlyList<IFilter> GetFilters(DictionaryToken dictionary) => Wrap(inner.GetFilters(dictionary));

    public IReadOnlyList<IFilter> GetNamedFilters(IReadOnlyList<NameToken> names) => Wrap(inner.GetNamedFilters(names));

    public IReadOnlyList<IFilter> GetAllFilters() => Wrap(inner.GetAllFilters());

    private List<IFilter> Wrap(IReadOnlyList<IFilter> filters) => filters.Select(filter => (IFilter)new BoundedFilter(filter, this)).ToList();

    private void Count(long bytes)
    {
        _decodedTotal += bytes;
        if (_decodedTotal > FormLimits.MaxPdfDecodedBytesTotal)
        {
            throw new FormLimitExceededException("The PDF's streams decode to more than the document limit.");
        }
    }

    private sealed class BoundedFilter(IFilter inner, BoundedFilterProvider owner) : IFilter
    {
        public bool IsSupported => inner.IsSupported;

        public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex)
        {
            if (inner is FlateFilter)
            {
                MeasureInflated(input);
            }

            var output = inner.Decode(input, streamDictionary, filterProvider, filterIndex);
            if (output.Length > FormLimits.MaxDecompressedBytes)
            {
                throw new FormLimitExceededException("A PDF stream decodes to more than the stream limit.");
            }

            owner.Count(output.Length);
            return output;
        }

        private static void MeasureInflated(Memory<byte> input)
        {
            // PdfPig skips the two-byte zlib header and inflates the rest; do the same, into a discard buffer.
            if (input.Length < 2)
            {
                return;
            }

            using var deflate = new DeflateStream(new MemoryStream(input[2..].ToArray(), writable: false), CompressionMode.Decompress);
            var buffer = new byte[81920];
            long total = 0;
            try
            {
                int read;
                while ((read = deflate.Read(buffer)) > 0)
                {
                    total += read;
                    if (total > FormLimits.MaxDecompressedBytes)
                    {
                        throw new FormLimitExceededException("A PDF Flate stream inflates past the stream limit.");
                    }
                }
            }
            catch (InvalidDataException)
            {
                // A damaged stream is PdfPig's to judge (it is lenient); only size is ours, and what
                // inflated before the damage was already within the limit.
            }
        }
    }
}

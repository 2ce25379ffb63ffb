namespace OpenLoRA.Attribution.Datanets;

/// <summary>
/// Suffix array construction by SA-IS (Nong, Zhang and Chan 2009), linear time for an integer alphabet.
/// Token ids can be anything up to 2^31, so they are first remapped to a dense alphabet 0..K-1 (order
/// preserving), which keeps the bucket arrays proportional to the distinct ids actually present.
/// The recursion follows the AtCoder Library's formulation (no sentinel; a shorter suffix sorts first).
/// </summary>
internal static class SuffixArrayBuilder
{
    public static int[] Build(ReadOnlySpan<int> tokens)
    {
        int n = tokens.Length;
        if (n == 0) return [];
        int[] dense = new int[n];
        int upper = Remap(tokens, dense);
        return SaIs(dense, upper);
    }

    /// <summary>Writes the rank of each token among the distinct values; returns the largest rank.</summary>
    private static int Remap(ReadOnlySpan<int> tokens, int[] dense)
    {
        int[] sorted = tokens.ToArray();
        Array.Sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            if (i == 0 || sorted[i] != sorted[i - 1]) sorted[distinct++] = sorted[i];
        }
        for (int i = 0; i < tokens.Length; i++)
        {
            dense[i] = Array.BinarySearch(sorted, 0, distinct, tokens[i]);
        }
        return distinct - 1;
    }

    /// <summary>SA-IS over <paramref name="s"/> whose values lie in 0..upper.</summary>
    private static int[] SaIs(int[] s, int upper)
    {
        int n = s.Length;
        switch (n)
        {
            case 0: return [];
            case 1: return [0];
            case 2: return s[0] < s[1] ? [0, 1] : [1, 0];
        }

        int[] sa = new int[n];
        // ls[i]: suffix i is S-type (smaller than suffix i+1). The last suffix is L-type.
        bool[] ls = new bool[n];
        for (int i = n - 2; i >= 0; i--)
        {
            ls[i] = s[i] == s[i + 1] ? ls[i + 1] : s[i] < s[i + 1];
        }

        // sumL[c]: start of bucket c (where L-types go); sumS[c]: start of the S-type part of bucket c.
        int[] sumL = new int[upper + 2];
        int[] sumS = new int[upper + 2];
        for (int i = 0; i < n; i++)
        {
            if (!ls[i]) sumS[s[i]]++;
            else sumL[s[i] + 1]++;
        }
        for (int i = 0; i <= upper; i++)
        {
            sumS[i] += sumL[i];
            if (i < upper) sumL[i + 1] += sumS[i];
        }

        int[] buf = new int[upper + 2];

        void Induce(int[] lms, int count)
        {
            Array.Fill(sa, -1);
            Array.Copy(sumS, buf, upper + 1);
            for (int k = 0; k < count; k++)
            {
                int d = lms[k];
                if (d == n) continue;
                sa[buf[s[d]]++] = d;
            }
            Array.Copy(sumL, buf, upper + 1);
            sa[buf[s[n - 1]]++] = n - 1;
            for (int i = 0; i < n; i++)
            {
                int v = sa[i];
                if (v >= 1 && !ls[v - 1]) sa[buf[s[v - 1]]++] = v - 1;
            }
            Array.Copy(sumL, buf, upper + 1);
            for (int i = n - 1; i >= 0; i--)
            {
                int v = sa[i];
                if (v >= 1 && ls[v - 1]) sa[--buf[s[v - 1] + 1]] = v - 1;
            }
        }

        int[] lmsMap = new int[n + 1];
        Array.Fill(lmsMap, -1);
        int m = 0;
        for (int i = 1; i < n; i++)
        {
            if (!ls[i - 1] && ls[i]) lmsMap[i] = m++;
        }
        int[] lmsPositions = new int[m];
        for (int i = 1, k = 0; i < n; i++)
        {
            if (!ls[i - 1] && ls[i]) lmsPositions[k++] = i;
        }

        Induce(lmsPositions, m);

        if (m > 0)
        {
            int[] sortedLms = new int[m];
            int count = 0;
            foreach (int v in sa)
            {
                if (lmsMap[v] != -1) sortedLms[count++] = v;
            }
            // Name each LMS substring; equal substrings share a name, so the reduced string preserves order.
            int[] reduced = new int[m];
            int reducedUpper = 0;
            reduced[lmsMap[sortedLms[0]]] = 0;
            for (int i = 1; i < m; i++)
            {
                int l = sortedLms[i - 1], r = sortedLms[i];
                int endL = lmsMap[l] + 1 < m ? lmsPositions[lmsMap[l] + 1] : n;
                int endR = lmsMap[r] + 1 < m ? lmsPositions[lmsMap[r] + 1] : n;
                bool same = true;
                if (endL - l != endR - r)
                {
                    same = false;
                }
                else
                {
                    while (l < endL)
                    {
                        if (s[l] != s[r]) break;
                        l++;
                        r++;
                    }
                    if (l == n || s[l] != s[r]) same = false;
                }
                if (!same) reducedUpper++;
                reduced[lmsMap[sortedLms[i]]] = reducedUpper;
            }

            int[] reducedSa = SaIs(reduced, reducedUpper);
            for (int i = 0; i < m; i++)
            {
                sortedLms[i] = lmsPositions[reducedSa[i]];
            }
            Induce(sortedLms, m);
        }
        return sa;
    }
}

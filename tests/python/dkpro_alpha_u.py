"""Krippendorff's unitizing alpha, written after DKPro Agreement's
KrippendorffAlphaUnitizingAgreement (dkpro-statistics 2.3.1) step by step, as an independent
check of src/model/agreement/unitizing.rs: the same segment walk over the whole continuum at
once (no documents), the same expected-disagreement loop over a sorted list of gaps, exact
fractions instead of BigDecimal.

As a program it reads studies from stdin, one per block:
    S <raters> <length>
    u <offset> <length> <rater> <category>
    e
and prints, per study, `alpha cat1 alpha1 cat2 alpha2 ...` (DKPro's calculateAgreement and
calculateCategoryAgreement), which is what a small Java harness around DKPro prints too."""
from fractions import Fraction
import sys


def find_next(units, i, rater, category):
    """DKPro's findNextUnit over the sorted unit list, from index i."""
    while i < len(units):
        u = units[i]
        i += 1
        if u[3] == category and u[2] == rater:
            return u, i
    return None, i


def distance(o1, l1, c1, o2, l2, c2):
    bd = o1 - o2
    ld = l1 - l2
    if c1 is not None and c2 is not None and -l1 < bd < l2:
        return bd * bd + (bd + ld) * (bd + ld)
    if c1 is not None and c2 is None and -ld >= bd >= 0:
        return l1 * l1
    if c1 is None and c2 is not None and -ld <= bd <= 0:
        return l2 * l2
    return 0


def observed(units, raters, begin, length, category):
    B, L, R = begin, length, raters
    result = 0
    for r1 in range(R):
        for r2 in range(r1 + 1, R):
            n1, i1 = find_next(units, 0, r1, category)
            n2, i2 = find_next(units, 0, r2, category)
            off1, len1, cat1 = B, 0, None
            off2, len2, cat2 = B, 0, None
            pos = B
            while pos < B + L and (n1 is not None or n2 is not None):
                if pos == off1 + len1:
                    if n1 is not None and pos == n1[0]:
                        len1, cat1 = n1[1], n1[3]
                        n1, i1 = find_next(units, i1, r1, category)
                    else:
                        len1 = (n1[0] if n1 is not None else B + L) - pos
                        cat1 = None
                    off1 = pos
                if pos == off2 + len2:
                    if n2 is not None and pos == n2[0]:
                        len2, cat2 = n2[1], n2[3]
                        n2, i2 = find_next(units, i2, r2, category)
                    else:
                        len2 = (n2[0] if n2 is not None else B + L) - pos
                        cat2 = None
                    off2 = pos
                result += distance(off1, len1, cat1, off2, len2, cat2)
                pos = min(off1 + len1, off2 + len2)
    return Fraction(2 * result, R * (R - 1) * L * L)


def expected(units, raters, begin, length, category):
    B, L, R = begin, length, raters
    mine = [u for u in units if u[3] == category]
    n_c = len(mine)
    squared = sum(u[1] * (u[1] - 1) for u in mine)
    gaps = []
    for r in range(R):
        nxt, i = find_next(units, 0, r, category)
        offset, ln, pos = B, 0, B
        while pos < B + L:
            if pos == offset + ln:
                if nxt is not None and pos == nxt[0]:
                    ln = nxt[1]
                    nxt, i = find_next(units, i, r, category)
                else:
                    ln = (nxt[0] if nxt is not None else B + L) - pos
                    gaps.append(ln)
                offset = pos
            pos = offset + ln
    gaps.sort(reverse=True)
    result = Fraction(0)
    for u in mine:
        l1 = u[1]
        sum1 = Fraction((n_c - 1) * (2 * l1 ** 3 - 3 * l1 ** 2 + l1), 3)
        sum2 = 0
        for g in gaps:
            if g >= l1:
                sum2 += g - l1 + 1
            else:
                break
        result += sum1 + sum2 * l1 * l1
    result *= Fraction(2, L)
    return result / (R * L * (R * L - 1) - squared)


def disjoint(units):
    """One rater's units of one category made apart: the longest kept, then the earliest."""
    kept = []
    for off, ln in sorted((u for u in units if u[1] > 0), key=lambda u: (-u[1], u[0])):
        if all(off + ln <= k[0] or k[0] + k[1] <= off for k in kept):
            kept.append((off, ln))
    return sorted(kept)


class Study:
    def __init__(self, raters, begin, length):
        self.raters, self.begin, self.length = raters, begin, length
        self.units = []  # (offset, length, rater, category)

    def add(self, offset, length, rater, category):
        self.units.append((offset, length, rater, category))

    def categories(self):
        return sorted({u[3] for u in self.units})

    def sorted_units(self):
        # DKPro keeps units in a TreeSet ordered by offset, length, rater.
        return sorted(self.units, key=lambda u: (u[0], u[1], u[2]))

    def category_alpha(self, c):
        """None where α_u is undefined (D_E = 0), not DKPro's 0.0."""
        u = self.sorted_units()
        d_o = observed(u, self.raters, self.begin, self.length, c)
        d_e = expected(u, self.raters, self.begin, self.length, c)
        return None if d_e == 0 else float(1 - d_o / d_e)

    def alpha(self):
        u = self.sorted_units()
        cats = self.categories()
        if not cats or self.raters < 2 or self.length == 0:
            return None
        d_o = sum(observed(u, self.raters, self.begin, self.length, c) for c in cats)
        d_e = sum(expected(u, self.raters, self.begin, self.length, c) for c in cats)
        return None if d_e == 0 else float(1 - d_o / d_e)


def main():
    study = None
    for line in sys.stdin:
        f = line.split()
        if not f:
            continue
        if f[0] == "S":
            study = Study(int(f[1]), 0, int(f[2]))
        elif f[0] == "u":
            study.add(int(f[1]), int(f[2]), int(f[3]), f[4])
        elif f[0] == "e":
            out = [repr(study.alpha())]
            for c in study.categories():
                out += [c, repr(study.category_alpha(c))]
            print(" ".join(out))


if __name__ == "__main__":
    main()

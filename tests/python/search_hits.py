"""An independent concordance for `hashiya search --json`: folds the text and the query as
docs say (diacritics and tatweel ignored, optional alef / ta marbuta / ya folds), finds every
occurrence (or, with --whole-word, whole words with attached proclitics) and prints one line per
hit: `path<TAB>start<TAB>end`, offsets in code points (Python's str), end exclusive.

usage: search_hits.py CORPUS QUERY [--fold alef,ta-marbuta,ya] [--whole-word] [--label L]
"""
import json
import os
import sys


def ignorable(c):
    o = ord(c)
    return (0x0610 <= o <= 0x061A or 0x064B <= o <= 0x065F or o == 0x0670
            or 0x06D6 <= o <= 0x06ED or o == 0x0640 or 0x200C <= o <= 0x200F)


def fold(c, folds):
    if 'alef' in folds and c in 'أإآٱ':
        return 'ا'
    if 'ta-marbuta' in folds and c == 'ة':
        return 'ه'
    if 'ya' in folds and c == 'ى':
        return 'ي'
    return c.lower()[0]


def folded(text, folds):
    chars, origin = [], []
    for i, c in enumerate(text):
        if not ignorable(c):
            chars.append(fold(c, folds))
            origin.append(i)
    return ''.join(chars), origin


def occurrences(hay, needle):
    i = hay.find(needle)
    while i >= 0:
        yield i
        i = hay.find(needle, i + 1)


def hit_range(text, origin, i, n):
    """The original chars of folded i..i+n, with the marks written on the last letter."""
    end = origin[i + n - 1] + 1
    while end < len(text) and ignorable(text[end]) and text[end] not in '\u200e\u200f':
        end += 1
    return origin[i], end


def word_char(c):
    return c.isalnum()


def clitics_ok(prefix, query_has_article):
    rest = prefix
    if rest[:1] in ('و', 'ف'):
        rest = rest[1:]
    if rest[:1] in ('ب', 'ل', 'ك'):
        rest = rest[1:]
    if not query_has_article and rest.startswith('ال'):
        rest = rest[2:]
    return rest == ''


def whole_words(hay, q):
    has_article = q.startswith('ال')
    cands = [(i, len(q), False) for i in occurrences(hay, q)]
    if has_article:
        alt = q[1:]
        cands += [(i, len(alt), True) for i in occurrences(hay, alt) if i > 0 and hay[i - 1] == 'ل']
    for i, n, lam_article in sorted(cands):
        if i + n < len(hay) and word_char(hay[i + n]):
            continue
        w = i
        while w > 0 and word_char(hay[w - 1]):
            w -= 1
        prefix = hay[w:i]
        ok = prefix in ('ل', 'ول', 'فل') if lam_article else clitics_ok(prefix, has_article)
        if ok:
            yield i, n


def label_spans(article, label):
    folder, name = os.path.split(article)
    out = []
    for f in os.listdir(folder):
        if f.startswith(name + '.') and f.endswith('.hashiya.json'):
            with open(os.path.join(folder, f), encoding='utf-8') as fh:
                for s in json.load(fh).get('spans', []):
                    if s['label'] == label and s.get('review') != 'rejected':
                        out += [tuple(p) for p in s.get('fragments', [[s['start'], s['end']]])]
    return out


def main():
    args = sys.argv[1:]
    corpus, query = args[0], args[1]
    folds = set()
    whole = '--whole-word' in args
    label = None
    if '--fold' in args:
        folds = set(args[args.index('--fold') + 1].split(','))
    if '--label' in args:
        label = args[args.index('--label') + 1]
    q, _ = folded(query.strip(), folds)
    articles = []
    for root, dirs, files in os.walk(corpus):
        dirs[:] = [d for d in dirs if not d.startswith('.')]
        articles += [os.path.join(root, f) for f in files if f.endswith('.txt') and not f.startswith('.')]
    for article in sorted(articles, key=lambda p: os.path.relpath(p, corpus)):
        with open(article, encoding='utf-8-sig', newline='') as fh:
            text = fh.read()
        hay, origin = folded(text, folds)
        found = whole_words(hay, q) if whole else ((i, len(q)) for i in occurrences(hay, q))
        spans = label_spans(article, label) if label else None
        for i, n in found:
            start, end = hit_range(text, origin, i, n)
            if spans is not None and not any(a <= start and end <= b for a, b in spans):
                continue
            print(f'{os.path.relpath(article, corpus)}\t{start}\t{end}\t{text[start:end]}')


main()

#!/usr/bin/env python3
"""Derive given-name equivalence classes from the OFAC SDN alias groups.

OFAC lists one person under many spellings (alt.csv): "LUKASHENKA, Alyaksandr",
"LUKASHENKO, Aleksandr", "LUKASHENKO, Alexander" ... When two names of one entity share the
family name (same romanisation key) and have the same number of given-name parts, the given
parts in the same position are spellings of one name. This script unions those pairs and writes
`data/given_names_derived.txt`, one class per line. Run from the repository root:

    python3 crates/names/tools/derive_name_equivalents.py data/lists/ofac/sdn_csv_2021-07 \
        > crates/names/data/given_names_derived.txt

The output is committed; the crate never reads list files at run time.
"""
import csv, sys, re, collections, difflib

def roman_key(t):
    t = t.lower()
    rules = [("schtsch","S"),("shch","S"),("szcz","S"),("tsch","S"),("sch","S"),("tch","S"),
             ("sh","S"),("ch","S"),("cz","S"),("sz","S"),("zh","Z"),("kh","h"),("gh","g"),
             ("ph","f"),("th","t"),("dh","d"),("ck","k"),("ts","c"),("tz","c"),("ou","u")]
    out = []
    i = 0
    while i < len(t):
        for a, b in rules:
            if t.startswith(a, i):
                out.append(b); i += len(a); break
        else:
            c = t[i]
            out.append({"q":"k","x":"ks","w":"v","y":"i","j":"i","o":"a"}.get(c, c)); i += 1
    s = "".join(out)
    return re.sub(r"(.)\1+", r"\1", s)

def parse(name):
    if name.count(",") != 1:
        return None
    fam, giv = name.split(",")
    fam = re.sub(r"[^A-Za-z ]", " ", fam).split()
    giv = re.sub(r"[^A-Za-z ]", " ", giv).split()
    if not fam or not giv:
        return None
    return [t.lower() for t in fam], [t.lower() for t in giv]

PATRONYMIC = re.compile(r"(ovich|evich|avich|ovych|evych|owitsch|ewitsch|ovitch|evitch|ovna|evna|ivna|auna|awna|ovici|evici|ich)$")

def stem(t):
    return PATRONYMIC.sub("", t)

def similar(a, b, threshold=0.6):
    # Patronymics share their suffix; compare the father's names they are made of.
    if PATRONYMIC.search(a) and PATRONYMIC.search(b):
        a, b = stem(a), stem(b)
    ka, kb = roman_key(a), roman_key(b)
    if ka == kb:
        return True
    return difflib.SequenceMatcher(None, ka, kb).ratio() >= threshold

def main(d):
    names = collections.defaultdict(list)
    kinds = {}
    for r in csv.reader(open(f"{d}/sdn.csv", encoding="latin-1")):
        if len(r) >= 4:
            kinds[r[0]] = r[2].strip()
            names[r[0]].append(r[1])
    for r in csv.reader(open(f"{d}/alt.csv", encoding="latin-1")):
        if len(r) >= 4 and r[2].strip() == "aka":
            names[r[0]].append(r[3])
    parent = {}
    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    members = {}
    def union(a, b):
        ra, rb = find(a), find(b)
        if ra == rb:
            return
        ma, mb = members.get(ra, {ra}), members.get(rb, {rb})
        # Complete linkage: every spelling of one class must resemble every spelling of the
        # other, so that two different names that OFAC happens to list in the same position
        # (Aleksandrovich / Alekseevich) do not chain into one class.
        if any(not similar(x, y, 0.6) for x in ma for y in mb):
            return
        parent[ra] = rb
        members[rb] = ma | mb
    for ent, ns in names.items():
        if kinds.get(ent) != "individual":
            continue
        parsed = [p for p in map(parse, ns) if p]
        for i in range(len(parsed)):
            for j in range(i + 1, len(parsed)):
                (fa, ga), (fb, gb) = parsed[i], parsed[j]
                if roman_key(" ".join(fa)) != roman_key(" ".join(fb)) and not similar(" ".join(fa), " ".join(fb)):
                    continue
                if len(ga) != len(gb):
                    continue
                for x, y in zip(ga, gb):
                    if x != y and len(x) > 2 and len(y) > 2 and similar(x, y, 0.65):
                        union(x, y)
    classes = collections.defaultdict(set)
    for x in parent:
        classes[find(x)].add(x)
    out = [sorted(c) for c in classes.values() if 2 <= len(c) <= 24]
    out.sort()
    print("# Given-name spellings that OFAC lists for one person (derived; see tools/derive_name_equivalents.py).")
    for c in out:
        print(" ".join(c))

main(sys.argv[1])

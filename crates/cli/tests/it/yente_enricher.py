#!/usr/bin/env python3
"""Run nomenklatura's yente enricher -- a yente client interdict did not write -- against an
interdict server, and print what it got as JSON.

Usage: yente_enricher.py BASE_URL API_KEY

The enricher is used as OpenSanctions' own pipelines use it: `match` sends the query entity to
`POST /match/{dataset}` with `algorithm=best` and `fuzzy=False`, the key as
`Authorization: ApiKey <key>`, and loads every result as a FollowTheMoney entity; `expand`
reads `GET /entities/{id}?nested=true` and walks the nested adjacent entities. Exit status 3
means nomenklatura is not installed (the Rust test then skips with a message).
"""

import json
import sys
import tempfile

try:
    from followthemoney import Dataset, StatementEntity
    from nomenklatura.cache import Cache
    from nomenklatura.db import Session, get_engine
    from nomenklatura.enrich import make_enricher
except ImportError as exc:  # pragma: no cover - reported by the Rust test
    print(f"nomenklatura is not installed: {exc}", file=sys.stderr)
    sys.exit(3)


def main() -> None:
    base, key = sys.argv[1].rstrip("/") + "/", sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="interdict-nk-")
    session = Session(get_engine(f"sqlite:///{tmp}/nomenklatura.db"))
    dataset = Dataset.make({"name": "interdict_test", "title": "interdict test"})
    cache = Cache(session, dataset, create=True)
    enricher = make_enricher(
        dataset,
        cache,
        {
            "type": "nomenklatura.enrich.yente:YenteEnricher",
            "api": base,
            "dataset": "default",
            "api_key": key,
            "cache_days": 0,
        },
    )
    queries = {
        "lukashenka": {
            "schema": "Person",
            "properties": {"name": ["Alexander Lukashenko"], "birthDate": ["1954-08-30"]},
        },
        "lukashenka_cyrillic": {
            "schema": "Person",
            "properties": {"name": ["Александр Лукашенко"], "nationality": ["by"]},
        },
        "naftan": {
            "schema": "Company",
            "properties": {"name": ["Naftan OJSC"], "jurisdiction": ["Belarus"]},
        },
        "nobody": {
            "schema": "Person",
            "properties": {"name": ["Wilhelmina Quistorp-Oyelaran"], "birthDate": ["1990-01-01"]},
        },
    }
    out = {"matches": {}, "expanded": {}}
    for qid, data in queries.items():
        entity = StatementEntity.from_data(dataset, {"id": f"q-{qid}", **data})
        results = list(enricher.match_wrapped(entity))
        out["matches"][qid] = [
            {"id": r.id, "schema": r.schema.name, "caption": r.caption} for r in results
        ]
        if results:
            expanded = list(enricher.expand_wrapped(entity, results[0]))
            out["expanded"][qid] = [
                {"id": e.id, "schema": e.schema.name} for e in expanded
            ]
    session.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()

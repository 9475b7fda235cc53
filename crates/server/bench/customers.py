#!/usr/bin/env python3
"""Write a seeded, realistic customer file for `interdict screen` benchmarks.

    python3 crates/server/bench/customers.py 200000 > /tmp/customers.csv

Columns: id, name, birth_date, country, type. About 85 % people (given and family names from
many languages, a birth date, a nationality) and 15 % companies (a trade name and a legal
form); 1 % of the rows are names taken from the bundled SDN list (as listed, or with a typo),
so that the screening does real matching work on hits as well as on the many clear names.
"""

import csv
import random
import sys
from pathlib import Path

GIVEN = """Maria Anna John Michael David Olena Sophie Giuseppe Ayse Priya Dmitry Siarhei Hans Fatima
Kenji Ana Paula Lars Chen Wei Mohammed Ahmed Ali Fatemeh Sara Elena Ivan Sergei Olga Natalia
Pierre Jean Luc Marie Claire Pedro Carlos Jose Luis Juan Miguel Sofia Lucia Giulia Marco Luca
Thomas Andreas Stefan Katarzyna Piotr Tomasz Agnieszka Jan Eva Petr Jana Mehmet Emine Yusuf
Hiroshi Yuki Haruto Min-jun Seo-yeon Ji-ho Nguyen Thi Mai Oluwaseun Chinedu Amina Kwame Abena
Rajesh Anil Sunita Arjun Deepika Ravi Omar Layla Hassan Youssef Nour Tariq Aylin Emre Burak
Oleksandr Iryna Volodymyr Tetiana Aliaksandr Hanna Pavel Viktoria Nikolai Svetlana""".split()
FAMILY = """Smith Johnson Williams Brown Garcia Martinez Lopez Fernandez Gonzalez Rodriguez Rossi
Russo Ferrari Esposito Bianchi Mueller Schmidt Schneider Fischer Weber Meyer Wagner Becker Kowalski
Nowak Wisniewski Wojcik Novak Svoboda Dvorak Yilmaz Kaya Demir Sahin Celik Tanaka Suzuki Sato
Takahashi Watanabe Kim Lee Park Choi Jung Nguyen Tran Le Pham Okafor Adeyemi Mensah Owusu Sharma
Patel Singh Kumar Gupta Khan Hussain Rahman Haddad Khoury Mansour Shevchenko Kovalenko Bondarenko
Tkachenko Ivanov Petrov Sidorov Smirnov Kuznetsov Popov Novikov Kavalenka Navumenka Dubois Martin
Bernard Durand Lefebvre Moreau Laurent Eriksson Johansson Larsson Andersson Nielsen Hansen
Jensen Silva Santos Oliveira Souza Pereira Costa Almeida""".split()
WORDS = """Nordic Sunrise Alpine Green Valley Atlas Baltic Riverside Summit Harbor Crystal Golden
Pioneer Horizon Evergreen Silver Oak Maple Cedar Delta Orion Vertex Apex Coastal Prairie Urban
Global United Standard Royal Eastern Western Northern Southern Central Metro Bright Blue Red""".split()
TRADES = """Timber Trading Logistics Dental Organic Farms Precision Tools Maritime Services Amber
Jewellery Software Solutions Bakery Supplies Construction Textiles Pharma Foods Motors Energy
Consulting Imports Exports Shipping Electronics Furniture Plastics Paper Chemicals""".split()
FORMS = "LLC Ltd GmbH AB SA Inc OOO UAB BV SRL Oy AS Co.,Ltd PLC Sp.z.o.o.".split()
COUNTRIES = "us gb de fr es it pl ua by ru tr cn jp kr in br ng gh ae eg ma se no dk nl ch at cz lt lv".split()


def listed_names(sdn: Path) -> list[tuple[str, str]]:
    names = []
    with sdn.open(encoding="latin-1", newline="") as f:
        for row in csv.reader(f):
            if len(row) > 2 and row[1] and row[1] != "-0-":
                kind = "person" if row[2].strip() == "individual" else "company"
                names.append((row[1], kind))
    return names


def typo(name: str, rng: random.Random) -> str:
    if len(name) < 6:
        return name
    i = rng.randrange(1, len(name) - 2)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rng = random.Random(20261127)
    sdn = Path(__file__).resolve().parents[3] / "data/lists/ofac/sdn_csv_2023-12-28/sdn.csv"
    listed = listed_names(sdn)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "name", "birth_date", "country", "type"])
    for i in range(n):
        r = rng.random()
        if r < 0.01:
            name, kind = rng.choice(listed)
            if rng.random() < 0.5:
                name = typo(name, rng)
            out.writerow([i, name, "", "", kind])
        elif r < 0.86:
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
            if rng.random() < 0.2:
                name = f"{rng.choice(GIVEN)} {name}"
            dob = f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            out.writerow([i, name, dob, rng.choice(COUNTRIES), "person"])
        else:
            name = f"{rng.choice(WORDS)} {rng.choice(TRADES)} {rng.choice(FORMS)}"
            out.writerow([i, name, "", rng.choice(COUNTRIES), "company"])


if __name__ == "__main__":
    main()

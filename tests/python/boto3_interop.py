"""The boto3 side of tests/boto3_interop.rs.

    boto3_interop.py write ENDPOINT TABLE ID   put the fixture item with Table.put_item
    boto3_interop.py read ENDPOINT TABLE ID    get an item with Table.get_item and
                                               compare it with the fixture item
    boto3_interop.py write-order …, read-order …
                                               the same with the fixture of
                                               `#[derive(Attribute)]` types
    boto3_interop.py write-foreign …, read-foreign …, write-foreign-order …, read-foreign-order …
                                               the same with the fixtures of the
                                               Rust features `rust_decimal` and `uuid`
    boto3_interop.py write-tagged …, read-tagged …
                                               enums with data as tagged dicts
    boto3_interop.py write-times …, read-times …
                                               chrono datetimes as ISO 8601 strings:
                                               written with offsets by Python,
                                               read in UTC with `Z` from Rust
    boto3_interop.py write-single-table …, read-single-table …
                                               one item of a single-table design:
                                               ID is the user id, the key is
                                               pk = "ORG#acme", sk = "USER#" + ID

Both use boto3's resource layer, so values go through its TypeSerializer and
TypeDeserializer: numbers are Decimal, binaries are Binary, sets are set.
`read` prints {"ok": true, "item": ...} as JSON, or prints every difference on
stderr and exits with status 1.

The fixtures mirror `everything()`, `order()`, `foreign()`, `foreign_order()`,
`tagged()`, `times()` and `single_table::user()` in tests/it/boto3_interop.rs: change both together.
"""

import base64
import json
import os
import sys
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import boto3
from boto3.dynamodb.types import Binary
from botocore.config import Config


def expected(item_id):
    """The fixture item as boto3 writes it and reads it back."""
    return {
        "id": item_id,
        "text": 'héllo, wörld ✓ 🦀\n\t"quoted"',
        "count": Decimal("-42"),
        "big_signed": Decimal("-9223372036854775808"),
        "big_unsigned": Decimal("18446744073709551615"),
        "huge": Decimal("99999999999999999999999999999999999999"),
        "ratio": Decimal("0.1"),
        "tiny": Decimal("1E-10"),
        "precise": Decimal("1234567890123456789.0123456789012345678"),
        "price": Decimal("19.90"),
        "flag": True,
        "blob": Binary(bytes([0x00, 0x01, 0x02, 0x7F, 0x80, 0xFE, 0xFF])),
        "tags": {"blue", "green", "red"},
        "scores": {Decimal(-1), Decimal(0), Decimal(42), Decimal(2**63 - 1)},
        "digests": {Binary(b"\x00"), Binary(b"\xde\xad\xbe\xef")},
        "names": ["ada", "grace", "ada"],
        "matrix": [[Decimal(1), Decimal(2)], [Decimal(3)], []],
        "labels": {"env": "test", "team": "storage"},
        "nested": {
            "a": {"x": [Decimal(1), Decimal(2)], "y": []},
            "b": {},
        },
        "history": [{"at": Decimal(1700000000), "delta": Decimal(-5)}, {}],
        # `nickname` (None in Rust) and `no_tags` (an empty set in Rust) are
        # not stored at all.
    }


def expected_foreign(item_id):
    """The fixture of `foreign()`: `rust_decimal::Decimal` numbers are Decimal,
    `uuid::Uuid` values are the strings Python's `str(uuid.UUID(...))` gives."""
    return {
        "id": item_id,
        "price": Decimal("19.99"),
        "largest": Decimal("79228162514264337593543950335"),
        "smallest": Decimal("-0.0000000000000000000000000001"),
        "precise": Decimal("1234567890.123456789012345678"),
        "amounts": [Decimal("0.1"), Decimal("-2.5"), Decimal("1000")],
        "rates": {Decimal("0.05"), Decimal("0.2")},
        "ref": str(uuid.UUID("67e55044-10b1-426f-9247-bb680e5fe0c8")),
        "refs": {str(uuid.UUID(int=0)), str(uuid.UUID(int=2**128 - 1))},
        "owners": {"ada": str(uuid.UUID(int=1))},
    }


def pen():
    return {
        "sku": "pen",
        "qty": Decimal(2),
        "unitPrice": Decimal("1.20"),
        "note": "blue ink",
        "options": {"colour": "blue"},
        "tags": {"gift"},
    }


def expected_order(item_id):
    """The fixture of `order()`: derived structs are dicts (their fields
    renamed as in Rust), lists of them lists of dicts, unit enums strings."""
    return {
        "id": item_id,
        "status": "out_for_delivery",
        "history": ["pending", "done"],
        "address": {
            "street": "1 Rue de Rivoli",
            "city": "Paris",
            "postalCode": "75001",
            "geo": {"lat": Decimal("48.8566"), "lon": Decimal("-2.3522")},
        },
        # `billing` (None in Rust) is not stored; nor are the second line's
        # `note` (None) and `tags` (an empty set).
        "lines": [
            pen(),
            {"sku": "notebook", "qty": Decimal(1), "unitPrice": Decimal("4.95"), "options": {}},
        ],
        "returned": [],
        "by_warehouse": {"north": [pen()], "south": []},
    }


def expected_foreign_order(item_id):
    """The fixture of `foreign_order()`: Decimal and UUID strings inside dicts
    and lists of dicts, and a UUID string as the key."""
    return {
        "id": str(uuid.UUID(item_id)),
        "status": "pending",
        "customer": {
            "id": str(uuid.UUID("67e55044-10b1-426f-9247-bb680e5fe0c8")),
            "name": "Ada",
            "credit": Decimal("250.00"),
        },
        "lines": [
            {
                "product": str(uuid.UUID(int=1)),
                "qty": Decimal(3),
                "unitPrice": Decimal("19.99"),
                "discounts": [Decimal("0.10"), Decimal("-2.5")],
            },
            {
                "product": str(uuid.UUID(int=2**128 - 1)),
                "qty": Decimal(1),
                "unitPrice": Decimal("0.0000000000000000000000000001"),
                "discounts": [],
            },
        ],
        "total": Decimal("59.97"),
    }


def expected_tagged(item_id):
    """The fixture of `tagged()`: an internally tagged enum is a dict with the
    variant's name under "type" and its fields beside it (a newtype variant
    of a struct: that struct's fields); an adjacently tagged one has the name
    under "kind" and the data under "data" (a list for a tuple variant, none
    for a unit variant)."""
    return {
        "id": item_id,
        "payment": {
            "type": "Card",
            "last4": "4242",
            "expiry": {"month": Decimal(12), "year": Decimal(2030)},
        },
        "payments": [
            {"type": "Cash"},
            {"type": "Invoice", "number": "INV-1", "due_days": Decimal(30)},
        ],
        "adjustments": [
            {"kind": "refund", "data": Decimal(100)},
            {"kind": "note", "data": ["late", Decimal(2)]},
            {"kind": "waived"},
            {"kind": "credit", "data": {"amount": Decimal("19.99"), "reason": "goodwill"}},
        ],
    }


# The instants of the `times()` fixture, as Python datetimes.
MAY_FIRST = datetime(2024, 5, 1, 8, 0, tzinfo=timezone.utc)
TIMES = {
    "placed_at": MAY_FIRST,
    "history": [MAY_FIRST - timedelta(hours=1) + timedelta(microseconds=123456),
                datetime(1970, 1, 1, tzinfo=timezone.utc)],
    "local": MAY_FIRST + timedelta(seconds=90),
}
SHIPPED = MAY_FIRST + timedelta(days=1, milliseconds=500)


def written_times(item_id):
    """What a boto3 user writes: `datetime.isoformat()` in local offsets."""
    def at(instant, hours, minutes=0):
        return instant.astimezone(timezone(timedelta(hours=hours, minutes=minutes))).isoformat()
    return {
        "id": item_id,
        "placed_at": at(TIMES["placed_at"], 2),  # 2024-05-01T10:00:00+02:00
        "history": [at(TIMES["history"][0], 0), at(TIMES["history"][1], -8)],
        "shipped": at(SHIPPED, -5),
        "local": at(TIMES["local"], 5, 30),
    }


def expected_times(item_id):
    """The fixture of `times()` as this crate writes it: UTC, `Z`, nine
    fraction digits, so that string order is time order."""
    return {
        "id": item_id,
        "placed_at": "2024-05-01T08:00:00.000000000Z",
        "history": ["2024-05-01T07:00:00.123456000Z", "1970-01-01T00:00:00.000000000Z"],
        # `shipped` (None in Rust) is not stored.
        "local": "2024-05-01T08:01:30.000000000Z",
    }


def times_differences(got):
    """The ISO strings read back in Python as the fixture's instants."""
    found = []
    for key, want in TIMES.items():
        values = got.get(key)
        pairs = zip(want, values) if isinstance(want, list) else [(want, values)]
        for w, g in pairs:
            if datetime.fromisoformat(g) != w:
                found.append(f"item.{key}: {g!r} is {datetime.fromisoformat(g)}, expected {w}")
    return found


def expected_single_table(item_id):
    """The fixture of `single_table::user()`: the attributes an ElectroDB or
    dynamodb-onetable user expects of a `User` entity — keys rendered from
    their templates, the entity under `_type`, the template's fields stored
    as ordinary attributes — and nothing else."""
    return {
        "pk": "ORG#acme",
        "sk": f"USER#{item_id}",
        "gsi1pk": f"EMAIL#{item_id}@acme.example",
        "gsi1sk": "USER",
        "_type": "User",
        "org": "acme",
        "id": item_id,
        "email": f"{item_id}@acme.example",
        "name": "Ada Lovelace",
        "joined": Decimal(1700000000),
    }


def key(fixture, item_id):
    """The primary key of a fixture's item."""
    if fixture == "-single-table":
        return {"pk": "ORG#acme", "sk": f"USER#{item_id}"}
    return {"id": item_id}


FIXTURES = {
    "": expected,
    "-order": expected_order,
    "-foreign": expected_foreign,
    "-foreign-order": expected_foreign_order,
    "-tagged": expected_tagged,
    "-times": expected_times,
    "-single-table": expected_single_table,
}

# Fixtures that boto3 writes otherwise than it reads back what Rust wrote.
WRITTEN = {
    "-times": written_times,
}


def table(endpoint, name):
    # Like the Rust side's `client_from_env`: dummy credentials unless real
    # ones are configured, since local emulators accept any.
    kwargs = {}
    if not (os.environ.get("AWS_ACCESS_KEY_ID") or os.environ.get("AWS_PROFILE")):
        kwargs = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    dynamodb = boto3.resource(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=region,
        config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}),
        **kwargs,
    )
    return dynamodb.Table(name)


def write(endpoint, name, item_id, fixture=""):
    item = WRITTEN.get(fixture, FIXTURES[fixture])(item_id)
    # boto3 users often write None; it is stored as NULL and reads as None in Rust.
    if not fixture:
        item["middle_name"] = None
    elif fixture == "-order":
        item["billing"] = None
        item["lines"][1]["note"] = None
    table(endpoint, name).put_item(Item=item)
    print(json.dumps({"ok": True, "written": item_id}))


def differences(want, got, path="item"):
    """Every way `got` differs from `want`, types included (Decimal(1) is not 1)."""
    if type(got) is not type(want):
        return [f"{path}: expected {type(want).__name__} {want!r}, found {type(got).__name__} {got!r}"]
    if isinstance(want, dict):
        found = []
        for key in sorted(want.keys() | got.keys()):
            if key not in got:
                found.append(f"{path}.{key}: missing (expected {want[key]!r})")
            elif key not in want:
                found.append(f"{path}.{key}: unexpected attribute {got[key]!r}")
            else:
                found.extend(differences(want[key], got[key], f"{path}.{key}"))
        return found
    if isinstance(want, list):
        if len(want) != len(got):
            return [f"{path}: expected {len(want)} elements {want!r}, found {len(got)} {got!r}"]
        found = []
        for i, (w, g) in enumerate(zip(want, got)):
            found.extend(differences(w, g, f"{path}[{i}]"))
        return found
    if isinstance(want, set):
        found = [f"{path}: element {g!r} is a {type(g).__name__}" for g in got
                 if not any(type(g) is type(w) for w in want)]
        if want != got:
            found.append(f"{path}: expected {sorted(want, key=repr)}, found {sorted(got, key=repr)}")
        return found
    # Decimal compares by value: DynamoDB may return 19.9 for 19.90.
    return [] if want == got else [f"{path}: expected {want!r}, found {got!r}"]


def to_json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Binary):
        return {"B": base64.b64encode(value.value).decode()}
    if isinstance(value, set):
        # Set elements are str, Decimal or Binary.
        elements = (v if isinstance(v, str) else to_json(v) for v in value)
        return sorted(elements, key=json.dumps)
    raise TypeError(f"cannot encode {type(value).__name__}")


def read(endpoint, name, item_id, fixture=""):
    response = table(endpoint, name).get_item(Key=key(fixture, item_id), ConsistentRead=True)
    if "Item" not in response:
        print(f"no item with key {key(fixture, item_id)!r} in table {name!r}", file=sys.stderr)
        return 1
    got = response["Item"]
    found = differences(FIXTURES[fixture](item_id), got)
    if fixture == "-times" and not found:
        found = times_differences(got)
    if found:
        print(f"boto3 read item {item_id!r} differently from what was expected:", file=sys.stderr)
        for line in found:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(json.dumps({"ok": True, "item": got}, default=to_json, sort_keys=True))
    return 0


def main(argv):
    commands = [verb + fixture for verb in ("write", "read") for fixture in FIXTURES]
    if len(argv) != 5 or argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    command, endpoint, name, item_id = argv[1:]
    verb, _, fixture = command.partition("-")
    fixture = "-" + fixture if fixture else ""
    if verb == "write":
        write(endpoint, name, item_id, fixture)
        return 0
    return read(endpoint, name, item_id, fixture)


if __name__ == "__main__":
    sys.exit(main(sys.argv))

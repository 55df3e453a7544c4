"""The boto3 side of tests/boto3_interop.rs.

    boto3_interop.py write ENDPOINT TABLE ID   put the fixture item with Table.put_item
    boto3_interop.py read ENDPOINT TABLE ID    get an item with Table.get_item and
                                               compare it with the fixture item
    boto3_interop.py write-foreign …, read-foreign …
                                               the same with the fixture of the
                                               Rust features `rust_decimal` and `uuid`

Both use boto3's resource layer, so values go through its TypeSerializer and
TypeDeserializer: numbers are Decimal, binaries are Binary, sets are set.
`read` prints {"ok": true, "item": ...} as JSON, or prints every difference on
stderr and exits with status 1.

The fixtures mirror `everything()` and `foreign()` in tests/it/boto3_interop.rs:
change both together.
"""

import base64
import json
import os
import sys
import uuid
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


FIXTURES = {"": expected, "-foreign": expected_foreign}


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
    item = FIXTURES[fixture](item_id)
    if not fixture:
        # boto3 users often write None; it is stored as NULL and reads as None in Rust.
        item["middle_name"] = None
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
    response = table(endpoint, name).get_item(Key={"id": item_id}, ConsistentRead=True)
    if "Item" not in response:
        print(f"no item with id {item_id!r} in table {name!r}", file=sys.stderr)
        return 1
    got = response["Item"]
    found = differences(FIXTURES[fixture](item_id), got)
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

"""boto3's resource layer for benches/io.rs, against the endpoint the Rust
bench gives (the server itself, or the latency proxy in front of it).

Usage:
    python boto3_io.py write ENDPOINT TABLE COUNT   bulk write with Table.batch_writer
    python boto3_io.py scan ENDPOINT TABLE          full scan, page by page with Table.scan

Prints `write <seconds> <items> <cpu seconds>` or `scan <seconds> <items> <cpu seconds>`
(the CPU time of this process over the same span).
"""

import sys
import time
from decimal import Decimal

import boto3
from botocore.config import Config


def order(i):
    item = {
        "customer": f"customer-{i % 1000:04}",
        "number": Decimal(i // 1000),
        "product": f"product-{i % 97}",
        "quantity": Decimal(i % 7 + 1),
        "unit_price_cents": Decimal(199 + (i * 37) % 10_000),
        "gift": i % 11 == 0,
    }
    if i % 5 == 0:
        item["note"] = f"order {i}: leave at the door"
    return item


def table(endpoint, name):
    dynamodb = boto3.resource(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(read_timeout=120),
    )
    return dynamodb.Table(name)


def write(endpoint, name, count):
    t = table(endpoint, name)
    started, cpu = time.perf_counter(), time.process_time()
    with t.batch_writer() as writer:
        for i in range(count):
            writer.put_item(Item=order(i))
    print(f"write {time.perf_counter() - started:.6f} {count} {time.process_time() - cpu:.6f}")


def scan(endpoint, name):
    t = table(endpoint, name)
    started, cpu = time.perf_counter(), time.process_time()
    items = []
    kwargs = {}
    while True:
        page = t.scan(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    print(f"scan {time.perf_counter() - started:.6f} {len(items)} {time.process_time() - cpu:.6f}")


def main(argv):
    if len(argv) == 5 and argv[1] == "write":
        write(argv[2], argv[3], int(argv[4]))
    elif len(argv) == 4 and argv[1] == "scan":
        scan(argv[2], argv[3])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

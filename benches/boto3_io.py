"""boto3's resource layer for benches/io.rs: bulk write with Table.batch_writer
and a full paginated scan, against the endpoint the Rust bench runs.

Usage: python boto3_io.py ENDPOINT TABLE COUNT
Prints `write <seconds>` and `scan <seconds> <items>`.
"""

import sys
import time
from decimal import Decimal

import boto3


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


def main():
    endpoint, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    dynamodb = boto3.resource(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    table = dynamodb.Table(name)

    started = time.perf_counter()
    with table.batch_writer() as writer:
        for i in range(count):
            writer.put_item(Item=order(i))
    print(f"write {time.perf_counter() - started:.6f}")

    started = time.perf_counter()
    items = []
    kwargs = {}
    while True:
        page = table.scan(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    print(f"scan {time.perf_counter() - started:.6f} {len(items)}")


if __name__ == "__main__":
    main()

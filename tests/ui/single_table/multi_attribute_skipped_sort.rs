use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "members", key = "id",
           index(name = "by_region", key = ["region", "tier"], sort_key = ["joined", "name"]))]
struct Member {
    id: String,
    region: String,
    tier: String,
    joined: u64,
    name: String,
}

async fn read(members: Table<Member>) {
    let by_region = members.index(Member::BY_REGION);
    // `name` without `joined` before it: a skipped sort attribute.
    let _ = by_region.query(("eu", "gold")).sort(Member::NAME.eq("ann")).all().await;
    // A range on `joined` ends the key condition: nothing may follow.
    let _ = by_region
        .query(("eu", "gold"))
        .sort(Member::JOINED.gt(3))
        .sort(Member::NAME.eq("ann"))
        .all()
        .await;
    // One partition attribute of two.
    let _ = by_region.query("eu").all().await;
}

fn main() {}

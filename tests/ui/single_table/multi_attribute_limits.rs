use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "members", key = "id",
           index(name = "by_all", key = ["a", "b", "c", "d", "e"], sort_key = ["f", "f"]))]
struct Member {
    id: String,
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
    f: u32,
}

#[resource(service = "dynamodb", table = "members", key = "id", sort_key = "at",
           local_index(name = "by_pair", sort_key = ["a", "b"]))]
struct Local {
    id: String,
    at: u32,
    a: String,
    b: String,
}

fn main() {}

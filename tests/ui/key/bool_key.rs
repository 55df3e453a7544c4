use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "flags", key = "enabled")]
struct Flag {
    enabled: bool,
}

fn main() {}

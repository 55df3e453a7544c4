use resourceful::prelude::*;

#[derive(Attribute)]
#[resource(rename_all = "camelCase")]
struct UserId(String);

fn main() {}
